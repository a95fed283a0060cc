/**
 * Prometheus metrics at GET /metrics (prom-client), one registry per server (tests start several in
 * one process): turns by channel and route, turn latency and queue wait, the turn queue, the job
 * queue's depth and age (from a provider: the job queue module gives one), SLA warnings and breaches
 * fired, platform errors and throttling, escalations waiting, and Node's own process metrics.
 * Labels are bounded sets (channel, route, platform, kind); never a user, a ticket or a text.
 */
import type express from 'express';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Depth and age of one job queue; the job queue module implements it (pg-boss or in-process). */
export interface JobQueueStats {
  queue: string;
  /** Jobs waiting to run (created or retrying). */
  waiting: number;
  /** Jobs running now. */
  active: number;
  /** Age of the oldest waiting job in seconds (0 when none). */
  oldestSeconds: number;
  /** Jobs that failed for good (dead letters). */
  failed?: number;
}

export interface JobQueueStatsProvider {
  stats(): Promise<JobQueueStats[]>;
}

/** What the turn queue tells (channels/kit/work-queue.ts). */
export interface TurnQueueStatsProvider {
  stats(): { running: number; queued: number; oldestWaitMs: number };
}

export interface MetricsOptions {
  jobQueue?: JobQueueStatsProvider;
  turnQueue?: TurnQueueStatsProvider;
  /** Tickets waiting for a person (relay "queued"), read at each scrape. */
  escalationsWaiting?: () => Promise<number>;
  /** Node's process metrics (memory, event loop lag, GC); default true. */
  processMetrics?: boolean;
}

/** A platform call that failed for good, or a platform's 429 (waited out). */
export type PlatformEvent = { platform: 'slack' | 'teams'; kind: 'throttled' | 'failed' };

export interface Metrics {
  registry: Registry;
  /** One turn done: its channel, route (or "duplicate" / "error") and duration. */
  turn(channel: string, route: string, seconds: number): void;
  /** How long a turn waited in the turn queue. */
  turnWaited(channel: string, seconds: number): void;
  /** Warnings and breaches the SLA clock fired in one tick. */
  sla(fired: { warnings: number; breaches: number }): void;
  platform(event: PlatformEvent): void;
  /** The Express handler of GET /metrics. */
  handler: express.RequestHandler;
}

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export function createMetrics(options: MetricsOptions = {}): Metrics {
  const registry = new Registry();
  if (options.processMetrics ?? true) collectDefaultMetrics({ register: registry, prefix: 'guichet_' });
  const turns = new Counter({ name: 'guichet_turns_total', help: 'Turns handled, by channel and route', labelNames: ['channel', 'route'] as const, registers: [registry] });
  const latency = new Histogram({
    name: 'guichet_turn_duration_seconds',
    help: 'Time to handle a turn (after the turn queue), by channel',
    labelNames: ['channel'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  const waited = new Histogram({
    name: 'guichet_turn_queue_wait_seconds',
    help: 'Time a turn waited in the turn queue, by channel',
    labelNames: ['channel'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  const sla = new Counter({ name: 'guichet_sla_events_total', help: 'SLA warnings and breaches fired by this instance', labelNames: ['kind'] as const, registers: [registry] });
  sla.inc({ kind: 'warning' }, 0);
  sla.inc({ kind: 'breach' }, 0);
  const platform = new Counter({
    name: 'guichet_platform_events_total',
    help: 'Platform calls throttled (429, waited out) or failed for good, by platform',
    labelNames: ['platform', 'kind'] as const,
    registers: [registry],
  });

  const scrapeErrors = new Counter({ name: 'guichet_metrics_source_errors_total', help: 'Reads of a metric source that failed (the gauge keeps its last value)', labelNames: ['source'] as const, registers: [registry] });
  /** A gauge read from a source that may be down (the database): a failed read keeps the last value, counted. */
  const guarded = async (source: string, read: () => Promise<void>) => {
    try {
      await read();
    } catch {
      scrapeErrors.inc({ source });
    }
  };
  const { turnQueue, jobQueue, escalationsWaiting } = options;
  if (turnQueue) {
    new Gauge({ name: 'guichet_turns_running', help: 'Turns running now', registers: [registry], collect() { this.set(turnQueue.stats().running); } });
    new Gauge({ name: 'guichet_turns_queued', help: 'Turns waiting in the turn queue', registers: [registry], collect() { this.set(turnQueue.stats().queued); } });
    new Gauge({
      name: 'guichet_turn_queue_oldest_seconds',
      help: 'Age of the oldest turn waiting in the turn queue',
      registers: [registry],
      collect() {
        this.set(turnQueue.stats().oldestWaitMs / 1000);
      },
    });
  }
  if (jobQueue) {
    // One read of the job queue per scrape, shared by its gauges.
    let pending: Promise<JobQueueStats[]> | undefined;
    const read = () => (pending ??= jobQueue.stats().finally(() => setTimeout(() => (pending = undefined), 0)));
    const gauge = (name: string, help: string, value: (s: JobQueueStats) => number | undefined) =>
      new Gauge({
        name,
        help,
        labelNames: ['queue'] as const,
        registers: [registry],
        async collect() {
          await guarded('jobs', async () => {
            const all = await read();
            this.reset();
            for (const s of all) {
              const v = value(s);
              if (v !== undefined) this.set({ queue: s.queue }, v);
            }
          });
        },
      });
    gauge('guichet_jobs_waiting', 'Jobs waiting to run, by queue', (s) => s.waiting);
    gauge('guichet_jobs_active', 'Jobs running, by queue', (s) => s.active);
    gauge('guichet_jobs_oldest_seconds', 'How long the longest-waiting due job has been due, by queue (seconds)', (s) => s.oldestSeconds);
    gauge('guichet_jobs_failed', 'Jobs that failed for good (dead letters), by queue', (s) => s.failed);
  }
  if (escalationsWaiting) {
    new Gauge({
      name: 'guichet_escalations_waiting',
      help: 'Tickets waiting for a person to take them',
      registers: [registry],
      async collect() {
        await guarded('escalations', async () => this.set(await escalationsWaiting()));
      },
    });
  }

  return {
    registry,
    turn: (channel, route, seconds) => {
      turns.inc({ channel, route });
      latency.observe({ channel }, seconds);
    },
    turnWaited: (channel, seconds) => waited.observe({ channel }, seconds),
    sla: (fired) => {
      if (fired.warnings > 0) sla.inc({ kind: 'warning' }, fired.warnings);
      if (fired.breaches > 0) sla.inc({ kind: 'breach' }, fired.breaches);
    },
    platform: (event) => platform.inc(event),
    handler: async (_req, res) => {
      res.setHeader('Content-Type', registry.contentType);
      res.setHeader('Cache-Control', 'no-store');
      res.end(await registry.metrics());
    },
  };
}
