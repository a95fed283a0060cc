/**
 * Monitoring's webhooks: POST /alerts/alertmanager (Prometheus Alertmanager's webhook_config, payload
 * version 4) and POST /alerts/generic (service, severity, summary, starts/ends). A request is
 * authenticated by "Authorization: Bearer <ALERT_WEBHOOK_SECRET>" or by "X-Guichet-Signature:
 * sha256=<hex HMAC-SHA256 of the raw body with the secret>"; anything else is refused and changes nothing.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import express from 'express';
import type { ChannelMount } from '../core/channel-contract.ts';
import type { JobQueue } from '../core/jobs.ts';
import type { Clock } from '../core/ports.ts';
import { isGuichetError } from '../core/errors.ts';
import { PrismaAlertStore } from '../persistence/stores/alerts.ts';
import type { Database } from '../persistence/database.ts';
import { Alerts, fromAlertmanager, fromGeneric } from '../ticketing/alerts.ts';
import type { MajorIncidents } from '../ticketing/major-incidents.ts';

/** The alerts on `db`; `jobs`: their posts to the agents' channels are outbox jobs (ticketing/alerts.ts). */
export function openAlerts(db: Database, incidents: MajorIncidents, clock: Clock, services: readonly string[], jobs?: JobQueue): Alerts {
  return new Alerts({ store: new PrismaAlertStore(db), incidents, clock, settings: incidents.settings.alerts, services, ...(jobs ? { jobs } : {}) });
}

/** Same length, constant time: both sides hashed first. */
function same(a: string, b: string): boolean {
  return timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());
}

/** Whether the request carries the secret as a bearer token or a valid HMAC of `raw`. */
export function authentic(raw: Buffer, headers: { authorization?: string; signature?: string }, secret: string): boolean {
  const bearer = /^Bearer\s+(.+)$/i.exec(headers.authorization ?? '')?.[1];
  if (bearer && same(bearer.trim(), secret)) return true;
  const signature = /^sha256=([0-9a-f]{64})$/i.exec(headers.signature ?? '')?.[1];
  return Boolean(signature && same(signature.toLowerCase(), createHmac('sha256', secret).update(raw).digest('hex')));
}

export function alertWebhookMount(alerts: Alerts, incidents: MajorIncidents, clock: Clock, secret: string | undefined): ChannelMount<express.Router> {
  const router = express.Router();
  router.post('/:kind', express.raw({ type: () => true, limit: '1mb' }), async (req, res) => {
    const kind = req.params.kind;
    if (kind !== 'alertmanager' && kind !== 'generic') return void res.status(404).json({ error: 'not-found', message: 'alerts: POST /alerts/alertmanager or /alerts/generic' });
    const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    if (!secret) return void res.status(401).json({ error: 'unauthorized', message: 'alerts: ALERT_WEBHOOK_SECRET is not set: monitoring webhooks are refused' });
    if (!authentic(raw, { authorization: req.get('authorization'), signature: req.get('x-guichet-signature') }, secret)) {
      return void res.status(401).json({ error: 'unauthorized', message: 'alerts: missing or wrong bearer token or X-Guichet-Signature' });
    }
    let body: unknown;
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch {
      return void res.status(400).json({ error: 'invalid-json', message: 'alerts: body is not valid JSON' });
    }
    try {
      const parsed = kind === 'alertmanager' ? fromAlertmanager(body, incidents.settings.alerts.serviceLabels) : fromGeneric(body, clock.now());
      const results = await alerts.receive(parsed);
      res.json({ received: results.length, results });
    } catch (err) {
      if (isGuichetError(err) && err.code === 'ticketing.invalid-alert') return void res.status(400).json({ error: 'invalid', message: err.message });
      throw err;
    }
  });
  return { name: 'alerts', path: '/alerts', handler: router };
}
