/**
 * Alerts from monitoring: Prometheus Alertmanager's webhook payload (version 4) and a simple generic
 * JSON, checked with zod and made one shape. Each alert is stored once per fingerprint: a repeat or a
 * retried delivery changes a counter and posts nothing; an alert that fires again soon after resolving
 * is flapping and is grouped the same way. A firing alert on a service with no open major incident
 * suggests one to the service desk lead in the agents' channel (buttons: declare / dismiss) — one
 * suggestion per service while it waits — or declares it directly from the configured severity; on a
 * service with an open incident it is grouped under it. When the last firing alert of an incident
 * resolves, the desk is asked whether to resolve it.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { GuichetError } from '../core/errors.ts';
import type { Lang } from '../core/lang.ts';
import { ownedJob, stepsOf, type JobContext, type JobQueue, type NewJob } from '../core/jobs.ts';
import type { OutboundMessage } from '../core/messages.ts';
import type { Clock } from '../core/ports.ts';
import { firstIssue } from '../core/zod-issue.ts';
import { say } from '../texts/index.ts';
import { SEVERITIES, severityRank, type IncidentSettings, type Severity } from './incident-config.ts';
import type { MajorIncidents } from './major-incidents.ts';
import type { AlertRecord, AlertStore } from './ports.ts';

/** One alert, whatever sent it. */
export interface IncomingAlert {
  fingerprint: string;
  source: 'alertmanager' | 'generic';
  serviceId: string | undefined;
  severity: Severity;
  summary: string;
  status: 'firing' | 'resolved';
  startsAt: Date;
  endsAt: Date | null;
}

export type AlertOutcome = 'new' | 'suggested' | 'declared' | 'grouped' | 'repeat' | 'flap' | 'resolved' | 'close-proposed' | 'unknown-service' | 'below-threshold';

const iso = z.string().datetime({ offset: true });
const labels = z.record(z.string().max(1_000));

/** Alertmanager's webhook_config payload, version 4. */
export const alertmanagerSchema = z.object({
  version: z.literal('4'),
  groupKey: z.string().max(2_000),
  truncatedAlerts: z.number().int().min(0).optional(),
  status: z.enum(['firing', 'resolved']),
  receiver: z.string().max(200),
  groupLabels: labels,
  commonLabels: labels,
  commonAnnotations: labels,
  externalURL: z.string().max(2_000),
  alerts: z
    .array(
      z.object({
        status: z.enum(['firing', 'resolved']),
        labels,
        annotations: labels,
        startsAt: iso,
        endsAt: iso,
        generatorURL: z.string().max(2_000).optional(),
        fingerprint: z.string().min(1).max(200),
      }),
    )
    .max(500),
});

/** The generic JSON: one alert or a list. */
const genericAlert = z
  .object({
    service: z.string().min(1).max(60),
    severity: z.enum(SEVERITIES),
    summary: z.string().trim().min(1).max(300),
    starts: iso.optional(),
    ends: iso.optional(),
    /** The sender's id of the alert (its fingerprint); default: service and summary. */
    id: z.string().min(1).max(200).optional(),
  })
  .strict();
const genericList = z.array(genericAlert).min(1).max(500);

/** Alertmanager's "zero" end time of a firing alert. */
const NEVER = Date.parse('0001-01-02T00:00:00Z');

const SEVERITY_WORDS: Record<string, Severity> = { page: 'critical', critical: 'critical', error: 'major', major: 'major', high: 'major', minor: 'minor', warning: 'warning', warn: 'warning', medium: 'minor', low: 'info', info: 'info', none: 'info' };

/** Alertmanager's payload as alerts; bad input is GuichetError `alerts.invalid` naming the field. */
export function fromAlertmanager(body: unknown, serviceLabels: readonly string[]): IncomingAlert[] {
  const parsed = alertmanagerSchema.safeParse(body);
  if (!parsed.success) throw invalid('alertmanager', parsed.error);
  return parsed.data.alerts.map((a) => {
    const ends = Date.parse(a.endsAt);
    return {
      fingerprint: `alertmanager:${a.fingerprint}`,
      source: 'alertmanager',
      serviceId: serviceLabels.map((l) => a.labels[l]).find((v) => v),
      severity: SEVERITY_WORDS[(a.labels.severity ?? '').toLowerCase()] ?? 'warning',
      summary: (a.annotations.summary ?? a.annotations.description ?? a.labels.alertname ?? 'alert').slice(0, 300),
      status: a.status,
      startsAt: new Date(a.startsAt),
      endsAt: ends > NEVER ? new Date(ends) : null,
    };
  });
}

/** The generic JSON as alerts: resolved when `ends` is given and past. */
export function fromGeneric(body: unknown, now: Date): IncomingAlert[] {
  const parsed = genericList.safeParse(Array.isArray(body) ? body : [body]);
  if (!parsed.success) throw invalid('generic', parsed.error, !Array.isArray(body));
  return parsed.data.map((a) => {
    const ends = a.ends ? new Date(a.ends) : null;
    return {
      fingerprint: `generic:${a.id ?? createHash('sha256').update(`${a.service}\n${a.summary}`).digest('hex').slice(0, 32)}`,
      source: 'generic',
      serviceId: a.service,
      severity: a.severity,
      summary: a.summary,
      status: ends && ends.getTime() <= now.getTime() ? 'resolved' : 'firing',
      startsAt: a.starts ? new Date(a.starts) : now,
      endsAt: ends,
    };
  });
}

/** `single`: the body was one alert (the list index is not part of the field's name). */
function invalid(kind: string, error: z.ZodError, single = false): GuichetError {
  const issue = firstIssue(error);
  const field = single ? issue.field?.replace(/^0\.?/, '') : issue.field;
  const { message } = issue;
  return new GuichetError('ticketing.invalid-alert', `alerts: ${kind} payload: ${field ? `field "${field}": ` : ''}${message}`);
}

export interface AlertDeps {
  store: AlertStore;
  incidents: MajorIncidents;
  clock: Clock;
  settings: IncidentSettings['alerts'];
  /** Known service ids (config/services.yml). */
  services: readonly string[];
  /** The outbox: each post to the agents' channels is a job written with the alert's change (without it, posted in process after it). */
  jobs?: JobQueue;
}

/** The queue of monitoring's posts to the service desk (the agents' channels, else the desk lead). */
export const ALERT_POST_QUEUE = 'alerts.post';

/** What a post job carries: data, never text (written in each reader's language when it runs). */
export type AlertPost =
  | { post: 'declared'; number: number; serviceId: string; summary: string }
  | { post: 'suggested'; serviceId: string; summary: string; severity: string; first: number }
  | { post: 'all-resolved'; number: number };

export class Alerts {
  constructor(private readonly deps: AlertDeps) {
    deps.jobs?.handle(ALERT_POST_QUEUE, (payload, ctx) => this.runPost(payload as unknown as AlertPost, ctx));
  }

  /** Runs a post job: the post is one step (a retry after it went out posts nothing again). */
  private async runPost(post: AlertPost, ctx: Pick<JobContext, 'step'>): Promise<void> {
    const steps = stepsOf(ctx, `monitoring post "${post.post}"`);
    await steps.attempt('post', () => this.deps.incidents.tellDesk(this.messages(post)));
    steps.settle();
  }

  /** A post's messages in `lang`. */
  private messages(post: AlertPost): (lang: Lang) => OutboundMessage[] {
    const service = (serviceId: string, lang: Lang) => this.deps.incidents.serviceName(serviceId, lang);
    if (post.post === 'declared') return (lang) => [{ type: 'text', text: say(lang, 'incidents.alertDeclared', { number: post.number, service: service(post.serviceId, lang), summary: post.summary }) }];
    if (post.post === 'suggested') {
      return (lang) => [
        {
          type: 'choices',
          text: say(lang, 'incidents.alertSuggestion', { summary: post.summary, service: service(post.serviceId, lang), severity: post.severity }),
          choices: [
            { label: say(lang, 'incidents.alertConfirm'), value: say(lang, 'incidents.alertConfirmValue', { id: post.first }) },
            { label: say(lang, 'incidents.alertDismiss'), value: say(lang, 'incidents.alertDismissValue', { id: post.first }) },
          ],
        },
      ];
    }
    const { number } = post;
    return (lang) => [
      {
        type: 'choices',
        text: say(lang, 'incidents.alertAllResolved', { number }),
        choices: [{ label: say(lang, 'incidents.alertResolve'), value: say(lang, 'incidents.alertResolveValue', { number, text: say(lang, 'incidents.alertRestoredText') }) }],
      },
    ];
  }

  /**
   * An alert's change with its post: `write` stores the change with the post's job (one unit of
   * work), then the job runs here at once (another instance runs it after the grace if this one
   * dies first). The key is the post's own (`key`): a retried or concurrent delivery of the same
   * alert writes no second job. Without a queue, posted in process after the change.
   */
  private async withPost<T>(post: AlertPost | undefined, key: string, write: (outbox?: { jobs: NewJob[]; at: Date }) => Promise<T>): Promise<T> {
    const { jobs } = this.deps;
    if (!post) return write();
    if (!jobs) {
      const result = await write();
      await this.deps.incidents.tellDesk(this.messages(post));
      return result;
    }
    const at = this.deps.clock.now();
    const job = ownedJob(jobs, { queue: ALERT_POST_QUEUE, key: `${ALERT_POST_QUEUE}:${key}`, payload: post as unknown as Record<string, unknown> }, at);
    const result = await write({ jobs: [job], at });
    await jobs.runNow([job.key]);
    return result;
  }

  /** Takes a batch of alerts; each gets its outcome (retrying the batch changes counters only). */
  async receive(alerts: IncomingAlert[]): Promise<{ fingerprint: string; outcome: AlertOutcome }[]> {
    const out: { fingerprint: string; outcome: AlertOutcome }[] = [];
    for (const alert of alerts) out.push({ fingerprint: alert.fingerprint, outcome: await this.one(alert) });
    return out;
  }

  /** The desk lead declares the suggested incident: every waiting alert of the service is put under it. */
  async confirm(number: number, actor: { id: string; role: 'agent' | 'admin' }): Promise<{ number: number } | undefined> {
    const alert = await this.deps.store.byNumber(number);
    if (!alert || alert.decision !== 'suggested') return undefined;
    const open = await this.deps.incidents.openOn(alert.serviceId);
    const incident = open ?? (await this.deps.incidents.declare(actor, { serviceId: alert.serviceId, title: title(alert.summary), impact: impactOf(alert.severity as Severity) }));
    for (const waiting of await this.deps.store.where({ serviceId: alert.serviceId, decision: 'suggested' })) {
      await this.deps.store.update(waiting.id, { decision: 'declared', incidentNumber: incident.number });
    }
    return { number: incident.number };
  }

  async dismiss(number: number, _actor: { id: string; role: 'agent' | 'admin' }): Promise<boolean> {
    const alert = await this.deps.store.byNumber(number);
    if (!alert || alert.decision !== 'suggested') return false;
    for (const waiting of await this.deps.store.where({ serviceId: alert.serviceId, decision: 'suggested' })) await this.deps.store.update(waiting.id, { decision: 'dismissed' });
    return true;
  }

  private async one(alert: IncomingAlert): Promise<AlertOutcome> {
    if (!alert.serviceId || !this.deps.services.includes(alert.serviceId)) return 'unknown-service';
    const known = await this.deps.store.byFingerprint(alert.fingerprint);
    if (!known) {
      const made = await this.deps.store.create({ ...alert, serviceId: alert.serviceId });
      // A concurrent delivery of the same alert stored it first: it is a repeat.
      if (!made) return 'repeat';
      return alert.status === 'firing' ? this.decide(made) : 'resolved';
    }
    if (alert.status === known.status) {
      await this.deps.store.update(known.id, { repeats: known.repeats + 1 });
      return 'repeat';
    }
    if (alert.status === 'resolved') {
      // Whether the desk is asked to close its incident is known before the change, so the post is written with it.
      const number = await this.closeProposal(known);
      const post: AlertPost | undefined = number === undefined ? undefined : { post: 'all-resolved', number };
      const resolved = await this.withPost(post, `all-resolved:${known.id}:${known.flaps}`, (outbox) => this.deps.store.update(known.id, { status: 'resolved', endsAt: alert.endsAt ?? this.deps.clock.now() }, outbox));
      return post ? 'close-proposed' : this.withdraw(resolved);
    }
    // Firing again after resolving.
    const again = await this.deps.store.update(known.id, { status: 'firing', endsAt: null, flaps: known.flaps + 1, severity: alert.severity, summary: alert.summary });
    const flapping = known.endsAt && this.deps.clock.now().getTime() - known.endsAt.getTime() < this.deps.settings.flapMinutes * 60_000;
    if (flapping && known.decision !== 'dismissed') {
      // Still under its incident if it is open; otherwise it waits for the lead's decision as before.
      if (known.incidentNumber && (await this.deps.incidents.openOn(known.serviceId))?.number === known.incidentNumber) return 'flap';
      if (known.decision === 'suggested') return 'flap';
    }
    return this.decide(again);
  }

  private async decide(alert: AlertRecord): Promise<AlertOutcome> {
    const open = await this.deps.incidents.openOn(alert.serviceId);
    if (open) {
      await this.deps.store.update(alert.id, { decision: 'declared', incidentNumber: open.number });
      return 'grouped';
    }
    const rank = severityRank(alert.severity as Severity);
    if (rank >= severityRank(this.deps.settings.declareFrom)) {
      const incident = await this.deps.incidents.declare({ id: null, role: 'system' }, { serviceId: alert.serviceId, title: title(alert.summary), impact: impactOf(alert.severity as Severity) });
      const waiting = await this.deps.store.where({ serviceId: alert.serviceId, decision: 'suggested' });
      const post: AlertPost = { post: 'declared', number: incident.number, serviceId: alert.serviceId, summary: alert.summary };
      // The post goes with the alert's own change; the alerts that waited follow.
      await this.withPost(post, `declared:${incident.number}`, (outbox) => this.deps.store.update(alert.id, { decision: 'declared', incidentNumber: incident.number }, outbox));
      for (const other of waiting.filter((w) => w.id !== alert.id)) await this.deps.store.update(other.id, { decision: 'declared', incidentNumber: incident.number });
      return 'declared';
    }
    if (rank < severityRank(this.deps.settings.suggestFrom)) return 'below-threshold';
    // One suggestion per service while it waits: later alerts are grouped under it.
    const waiting = (await this.deps.store.where({ serviceId: alert.serviceId, decision: 'suggested' })).filter((a) => a.id !== alert.id);
    const post: AlertPost | undefined = waiting.length > 0 ? undefined : { post: 'suggested', serviceId: alert.serviceId, summary: alert.summary, severity: alert.severity, first: alert.number };
    await this.withPost(post, `suggested:${alert.id}:${alert.flaps}`, (outbox) => this.deps.store.update(alert.id, { decision: 'suggested' }, outbox));
    return post ? 'suggested' : 'grouped';
  }

  /**
   * The incident the desk is asked to close when `known` (firing) resolves: it was the last firing
   * alert of its open incident. Undefined otherwise.
   */
  private async closeProposal(known: AlertRecord): Promise<number | undefined> {
    const number = known.incidentNumber;
    if (known.decision === 'suggested' || !number) return undefined;
    if ((await this.deps.incidents.openOn(known.serviceId))?.number !== number) return undefined;
    const firing = (await this.deps.store.where({ incidentNumber: number, status: 'firing' })).filter((a) => a.id !== known.id);
    return firing.length > 0 ? undefined : number;
  }

  /** A suggestion whose alerts all resolved is withdrawn (nothing was declared). */
  private async withdraw(alert: AlertRecord): Promise<AlertOutcome> {
    if (alert.decision === 'suggested' && (await this.deps.store.where({ serviceId: alert.serviceId, decision: 'suggested', status: 'firing' })).length === 0) {
      for (const a of await this.deps.store.where({ serviceId: alert.serviceId, decision: 'suggested' })) await this.deps.store.update(a.id, { decision: 'dismissed' });
    }
    return 'resolved';
  }
}

const title = (summary: string) => ({ fr: say('fr', 'incidents.alertTitle', { summary }).slice(0, 200), en: say('en', 'incidents.alertTitle', { summary }).slice(0, 200) });

function impactOf(severity: Severity): 'high' | 'medium' | 'low' {
  return severity === 'critical' ? 'high' : severity === 'major' ? 'medium' : 'low';
}
