/**
 * The outgoing paging webhook, in PagerDuty's Events API v2 format (POST …/v2/enqueue), which
 * Opsgenie's and most incident tools' "PagerDuty-compatible" integrations also accept:
 * `{ routing_key, event_action: 'trigger' | 'acknowledge' | 'resolve', dedup_key, payload }`, the
 * payload (summary, source, severity, timestamp, custom_details) only on `trigger`.
 */
import { GuichetError } from '../core/errors.ts';

export type PageAction = 'trigger' | 'acknowledge' | 'resolve';
/** Events API v2 severities. */
export type PageSeverity = 'critical' | 'error' | 'warning' | 'info';

export interface PagerDutyEvent {
  routing_key: string;
  event_action: PageAction;
  /** Same key for the trigger and its acknowledge/resolve (≤ 255 characters). */
  dedup_key: string;
  payload?: {
    /** ≤ 1024 characters. */
    summary: string;
    source: string;
    severity: PageSeverity;
    /** ISO 8601. */
    timestamp: string;
    custom_details?: Record<string, unknown>;
  };
}

export interface PageFacts {
  dedupKey: string;
  summary: string;
  severity: PageSeverity;
  at: Date;
  details: Record<string, unknown>;
}

export function pagerDutyEvent(routingKey: string, action: PageAction, facts: PageFacts): PagerDutyEvent {
  const event: PagerDutyEvent = { routing_key: routingKey, event_action: action, dedup_key: facts.dedupKey.slice(0, 255) };
  if (action !== 'trigger') return event;
  return {
    ...event,
    payload: { summary: facts.summary.slice(0, 1024), source: 'guichet', severity: facts.severity, timestamp: facts.at.toISOString(), custom_details: facts.details },
  };
}

/** Priority → Events API severity: P1 critical, P2 error, P3 warning, else info. */
export function severityOf(priority: number): PageSeverity {
  return priority <= 1 ? 'critical' : priority === 2 ? 'error' : priority === 3 ? 'warning' : 'info';
}

export type EventSender = (event: PagerDutyEvent) => Promise<void>;

/** Posts events to `url` (e.g. https://events.pagerduty.com/v2/enqueue); a non-2xx answer is an error naming the status. */
export function webhookSender(url: string, fetchImpl: typeof fetch = fetch): EventSender {
  return async (event) => {
    const response = await fetchImpl(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(event), signal: AbortSignal.timeout(10_000) });
    if (!response.ok) throw new GuichetError('desks.page-failed', `desks: paging webhook ${new URL(url).host} answered ${response.status} to ${event.event_action} ${event.dedup_key}`);
  };
}
