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
}

export class Alerts {
  constructor(private readonly deps: AlertDeps) {}

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
      const resolved = await this.deps.store.update(known.id, { status: 'resolved', endsAt: alert.endsAt ?? this.deps.clock.now() });
      return this.proposeClose(resolved);
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
      for (const waiting of [alert, ...(await this.deps.store.where({ serviceId: alert.serviceId, decision: 'suggested' }))]) {
        await this.deps.store.update(waiting.id, { decision: 'declared', incidentNumber: incident.number });
      }
      await this.deps.incidents.tellDesk((lang) => [{ type: 'text', text: say(lang, 'incidents.alertDeclared', { number: incident.number, service: this.deps.incidents.serviceName(alert.serviceId, lang), summary: alert.summary }) }]);
      return 'declared';
    }
    if (rank < severityRank(this.deps.settings.suggestFrom)) return 'below-threshold';
    // One suggestion per service while it waits: later alerts are grouped under it.
    const waiting = (await this.deps.store.where({ serviceId: alert.serviceId, decision: 'suggested' })).filter((a) => a.id !== alert.id);
    await this.deps.store.update(alert.id, { decision: 'suggested' });
    if (waiting.length > 0) return 'grouped';
    const first = alert.number;
    await this.deps.incidents.tellDesk((lang: Lang) => [
      {
        type: 'choices',
        text: say(lang, 'incidents.alertSuggestion', { summary: alert.summary, service: this.deps.incidents.serviceName(alert.serviceId, lang), severity: alert.severity }),
        choices: [
          { label: say(lang, 'incidents.alertConfirm'), value: say(lang, 'incidents.alertConfirmValue', { id: first }) },
          { label: say(lang, 'incidents.alertDismiss'), value: say(lang, 'incidents.alertDismissValue', { id: first }) },
        ],
      },
    ]);
    return 'suggested';
  }

  /** The last firing alert of an open incident resolved: the desk is asked whether to resolve it. */
  private async proposeClose(alert: AlertRecord): Promise<AlertOutcome> {
    if (alert.decision === 'suggested') {
      // Nothing was declared: a suggestion whose alerts all resolved is withdrawn.
      if ((await this.deps.store.where({ serviceId: alert.serviceId, decision: 'suggested', status: 'firing' })).length === 0) {
        for (const a of await this.deps.store.where({ serviceId: alert.serviceId, decision: 'suggested' })) await this.deps.store.update(a.id, { decision: 'dismissed' });
      }
      return 'resolved';
    }
    const number = alert.incidentNumber;
    if (!number) return 'resolved';
    const open = await this.deps.incidents.openOn(alert.serviceId);
    if (open?.number !== number) return 'resolved';
    if ((await this.deps.store.where({ incidentNumber: number, status: 'firing' })).length > 0) return 'resolved';
    await this.deps.incidents.tellDesk((lang) => [
      {
        type: 'choices',
        text: say(lang, 'incidents.alertAllResolved', { number }),
        choices: [{ label: say(lang, 'incidents.alertResolve'), value: say(lang, 'incidents.alertResolveValue', { number, text: say(lang, 'incidents.alertRestoredText') }) }],
      },
    ]);
    return 'close-proposed';
  }
}

const title = (summary: string) => ({ fr: say('fr', 'incidents.alertTitle', { summary }).slice(0, 200), en: say('en', 'incidents.alertTitle', { summary }).slice(0, 200) });

function impactOf(severity: Severity): 'high' | 'medium' | 'low' {
  return severity === 'critical' ? 'high' : severity === 'major' ? 'medium' : 'low';
}
