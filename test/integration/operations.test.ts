/**
 * Operations endpoints of a real server on a real database: /metrics (Prometheus text that counts a
 * web turn by channel and route, and the job queue's depth and lateness), /healthz (liveness) and
 * /readyz (readiness, failing when the database or the job queue is down), request ids.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { start, type Running } from '../../src/main.ts';
import { createTestDatabase } from '../helpers/database.ts';
import { Browser } from '../helpers/http.ts';

let running: Running;
let testDb: Awaited<ReturnType<typeof createTestDatabase>>;

beforeAll(async () => {
  testDb = await createTestDatabase();
  running = await start(loadConfig({ DATABASE_URL: testDb.url, PORT: '0', LOG_LEVEL: 'silent', CHANNELS: 'web', SLA_TICK_SECONDS: '0' }));
});

afterAll(async () => {
  await running?.stop();
  await testDb?.cleanup();
});

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Parses the Prometheus text format strictly: every line is a comment, blank, or `name{labels} value`. */
function parseMetrics(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('# HELP ') || line.startsWith('# TYPE ')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (-?[0-9.e+-]+|NaN|Nan|[+-]Inf)$/.exec(line); // prom-client prints a gauge never set as "Nan", which Prometheus reads as NaN
    if (!m) throw new Error(`not a Prometheus sample line: ${JSON.stringify(line)}`);
    const labels: Record<string, string> = {};
    for (const pair of (m[2] ?? '').match(/[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*"/g) ?? []) {
      const eq = pair.indexOf('=');
      labels[pair.slice(0, eq)] = pair.slice(eq + 2, -1);
    }
    samples.push({ name: m[1]!, labels, value: Number(m[3]) });
  }
  return samples;
}

async function scrape(): Promise<Sample[]> {
  const response = await fetch(`${running.url}/metrics`);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return parseMetrics(await response.text());
}

const value = (samples: Sample[], name: string, labels: Record<string, string> = {}) =>
  samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;

describe('operations endpoints', () => {
  it('/metrics counts a web turn by channel and route, with its latency and queue', async () => {
    const before = await scrape();
    const turnsBefore = value(before, 'guichet_turns_total', { channel: 'web', route: 'command' }) ?? 0;
    const browser = new Browser(running.url);
    const reply = await browser.postJson('/api/web/messages', { id: randomUUID(), text: 'aide' });
    expect(reply.status).toBe(200);

    const after = await scrape();
    expect(value(after, 'guichet_turns_total', { channel: 'web', route: 'command' })).toBe(turnsBefore + 1);
    expect(value(after, 'guichet_turn_duration_seconds_count', { channel: 'web' })).toBeGreaterThanOrEqual(1);
    expect(value(after, 'guichet_turn_duration_seconds_sum', { channel: 'web' })).toBeGreaterThan(0);
    expect(value(after, 'guichet_turn_queue_wait_seconds_count', { channel: 'web' })).toBeGreaterThanOrEqual(1);
    expect(value(after, 'guichet_turns_running')).toBe(0);
    expect(value(after, 'guichet_turns_queued')).toBe(0);
    expect(value(after, 'guichet_escalations_waiting')).toBe(0);
    expect(value(after, 'guichet_sla_events_total', { kind: 'breach' })).toBe(0);
    expect(value(after, 'guichet_process_resident_memory_bytes')).toBeGreaterThan(10_000_000);
  });

  it('/metrics counts a replayed delivery as a duplicate, not as a new turn of its route', async () => {
    const browser = new Browser(running.url);
    const id = randomUUID();
    await browser.postJson('/api/web/messages', { id, text: 'bonjour' });
    const before = await scrape();
    await browser.postJson('/api/web/messages', { id, text: 'bonjour' });
    const after = await scrape();
    expect(value(after, 'guichet_turns_total', { channel: 'web', route: 'duplicate' })).toBe((value(before, 'guichet_turns_total', { channel: 'web', route: 'duplicate' }) ?? 0) + 1);
  });

  it('gives every response a request id, keeping a sane one the caller sent', async () => {
    const mine = await fetch(`${running.url}/healthz`, { headers: { 'x-request-id': 'probe-42' } });
    expect(mine.headers.get('x-request-id')).toBe('probe-42');
    const made = await fetch(`${running.url}/healthz`, { headers: { 'x-request-id': 'not ok\u00e9<script>' } });
    expect(made.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('/metrics gives the job queue by queue: waiting, claimed, dead, and how long the longest-waiting due job has been due', async () => {
    // A queue nobody handles: its jobs stay as written. One due two minutes ago, one held for ten more minutes
    // (not late: delayed on purpose), one claimed by an instance (lease running), one given up.
    const now = Date.now();
    const jobs = running.guichet.db.client.job;
    const row = (key: string, data: Record<string, unknown>) => jobs.create({ data: { key: `metrics-probe:${key}`, queue: 'metrics.probe', payload: {}, ...data } });
    await row('due', { runAt: new Date(now - 120_000) });
    await row('held', { runAt: new Date(now + 600_000) });
    await row('claimed', { runAt: new Date(now + 300_000), lockedBy: 'another-instance' });
    await row('dead', { status: 'dead', attempts: 8, lastError: 'Error: gave up' });
    const samples = await scrape();
    const probe = { queue: 'metrics.probe' };
    expect(value(samples, 'guichet_jobs_waiting', probe)).toBe(2);
    expect(value(samples, 'guichet_jobs_active', probe)).toBe(1);
    expect(value(samples, 'guichet_jobs_failed', probe)).toBe(1);
    const late = value(samples, 'guichet_jobs_oldest_seconds', probe)!;
    expect(late).toBeGreaterThanOrEqual(120);
    expect(late).toBeLessThan(180);
    await jobs.deleteMany({ where: { queue: 'metrics.probe' } });
  });

  // Last: it closes the database.
  it('/readyz is 200 while the database and the job queue answer, 503 once the database is closed; /healthz (liveness) stays 200', async () => {
    // On PostgreSQL the queue is ready once pg-boss has started (its schema, its workers): not at once.
    const ready = await vi.waitFor(
      async () => {
        const response = await fetch(`${running.url}/readyz`);
        expect(response.status).toBe(200);
        return response;
      },
      { timeout: 30_000, interval: 100 },
    );
    expect(await ready.json()).toEqual({ status: 'ready', database: 'ok', queue: 'ok' });

    await running.guichet.db.close();
    const notReady = await fetch(`${running.url}/readyz`);
    expect(notReady.status).toBe(503);
    expect(await notReady.json()).toEqual({ status: 'unavailable', database: 'unreachable', queue: 'unreachable' });
    expect((await fetch(`${running.url}/healthz`)).status).toBe(200);
    // Scrapes still answer (they matter most when something is down).
    expect(value(await scrape(), 'guichet_turns_running')).toBe(0);
  });
});
