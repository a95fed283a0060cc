/**
 * Monitoring's webhooks over real HTTP on a real database with the shipped configuration: a request
 * without the secret (bearer or HMAC signature) is refused and stores nothing; Alertmanager's v4
 * payload suggests one major incident per service to the desk lead (duplicates and retries grouped),
 * the lead confirms it in chat, the affected are told; the alerts resolving propose to close it and a
 * flapping alert proposes nothing new; the generic JSON above the configured severity declares directly.
 */
import { createHmac } from 'node:crypto';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertWebhookMount } from '../../src/app/alerts.ts';
import { createGuichet, type Guichet } from '../../src/app/guichet.ts';
import { renderPlainText } from '../../src/core/render-text.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { FakeClock } from '../helpers/fake-channel.ts';
import { listenLocal, type Listening } from '../helpers/http.ts';
import { RecordingNotifier } from '../helpers/recording-notifier.ts';

const SECRET = 'monitoring-secret-0123456789';
const clock = new FakeClock(new Date('2026-11-23T09:00:00Z'));
const notifier = new RecordingNotifier();
let testDb: TestDatabase;
let guichet: Guichet;
let http: Listening;
let sequence = 0;

const claire = { externalId: 'u-claire', displayName: 'Claire Fontaine', email: 'claire.fontaine@example.org' };
const idOf = async (email: string) => (await testDb.db.client.user.findFirstOrThrow({ where: { email } })).id;
const textsOf = async (email: string) => notifier.textsFor(await idOf(email));

function post(kind: string, body: unknown, auth: 'bearer' | 'hmac' | 'none' | 'wrong' = 'hmac'): Promise<Response> {
  const raw = JSON.stringify(body);
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (auth === 'bearer') headers.authorization = `Bearer ${SECRET}`;
  if (auth === 'wrong') headers.authorization = 'Bearer not-the-secret-at-all';
  if (auth === 'hmac') headers['x-guichet-signature'] = `sha256=${createHmac('sha256', SECRET).update(raw).digest('hex')}`;
  return fetch(`${http.url}/alerts/${kind}`, { method: 'POST', headers, body: raw });
}

/** Alertmanager's webhook_config payload (version 4) for some alerts of one group. */
function alertmanager(status: 'firing' | 'resolved', alerts: { fingerprint: string; service: string; severity: string; summary: string; resolvedAt?: string }[]) {
  return {
    version: '4',
    groupKey: '{}:{alertname="VpnGatewayDown"}',
    truncatedAlerts: 0,
    status,
    receiver: 'guichet',
    groupLabels: { alertname: 'VpnGatewayDown' },
    commonLabels: { alertname: 'VpnGatewayDown' },
    commonAnnotations: {},
    externalURL: 'http://alertmanager.invalid:9093',
    alerts: alerts.map((a) => ({
      status: a.resolvedAt ? 'resolved' : 'firing',
      labels: { alertname: 'VpnGatewayDown', service: a.service, severity: a.severity, instance: a.fingerprint },
      annotations: { summary: a.summary },
      startsAt: '2026-11-23T08:58:00Z',
      endsAt: a.resolvedAt ?? '0001-01-01T00:00:00Z',
      generatorURL: 'http://prometheus.invalid:9090/graph',
      fingerprint: a.fingerprint,
    })),
  };
}

beforeAll(async () => {
  testDb = await createTestDatabase();
  guichet = await createGuichet({ databaseUrl: testDb.url, defaultLang: 'en', configDir: 'config', clock, notifier, onError: (err, context) => { throw new Error(`${context}: ${String(err)}`); } });
  const app = express();
  app.use('/alerts', alertWebhookMount(guichet.alerts!, guichet.incidents!, clock, SECRET).handler);
  http = await listenLocal(app);
}, 60_000);

afterAll(async () => {
  await http?.close();
  await guichet?.close();
  await testDb?.cleanup();
});

const vpnDown = [
  { fingerprint: 'a1b2c3', service: 'vpn', severity: 'warning', summary: 'VPN gateway gp-1 unreachable' },
  { fingerprint: 'd4e5f6', service: 'vpn', severity: 'warning', summary: 'VPN gateway gp-2 unreachable' },
];

describe('the monitoring webhooks', () => {
  it('refuse a request without the secret, with a wrong token or a wrong signature, and store nothing', async () => {
    expect((await post('alertmanager', alertmanager('firing', vpnDown), 'none')).status).toBe(401);
    expect((await post('alertmanager', alertmanager('firing', vpnDown), 'wrong')).status).toBe(401);
    const raw = JSON.stringify(alertmanager('firing', vpnDown));
    const forged = await fetch(`${http.url}/alerts/alertmanager`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-guichet-signature': `sha256=${createHmac('sha256', 'another-secret-0123456').update(raw).digest('hex')}` }, body: raw });
    expect(forged.status).toBe(401);
    expect(await testDb.db.client.monitoringAlert.count()).toBe(0);
  });

  it('turn Alertmanager alerts on one service into one suggestion for the desk lead; a retried delivery adds nothing', async () => {
    const first = await post('alertmanager', alertmanager('firing', vpnDown));
    expect(first.status).toBe(200);
    expect((await first.json()).results.map((r: { outcome: string }) => r.outcome)).toEqual(['suggested', 'grouped']);
    const retried = await post('alertmanager', alertmanager('firing', vpnDown), 'bearer');
    expect((await retried.json()).results.map((r: { outcome: string }) => r.outcome)).toEqual(['repeat', 'repeat']);
    expect(await testDb.db.client.monitoringAlert.count()).toBe(2);
    const toClaire = await textsOf(claire.email);
    expect(toClaire).toHaveLength(1);
    expect(toClaire[0]).toContain('🚨 Monitoring: VPN gateway gp-1 unreachable on “Remote access (VPN)” (warning). Declare a major incident?');
    const claireId = await idOf(claire.email);
    expect(notifier.sent.find((m) => m.userId === claireId)!.messages[0]).toMatchObject({ type: 'choices', choices: [{ label: 'Declare', value: 'confirm alert 1' }, { label: 'Dismiss', value: 'dismiss alert 1' }] });
    await expect(guichet.incidents!.list({ status: 'open' })).resolves.toEqual([]);
  });

  it('the lead confirms in chat: the incident is declared, both alerts under it, the affected told', async () => {
    const reply = await guichet.turn({ channel: 'web', deliveryId: `d-${++sequence}`, user: claire, conversation: { externalId: 'c-claire', kind: 'personal' }, text: 'confirm alert 1' });
    expect(reply.replies.map(renderPlainText).join('\n')).toContain('Major incident #1 declared.');
    const rows = await testDb.db.client.monitoringAlert.findMany({ orderBy: { number: 'asc' } });
    expect(rows.map((r) => [r.decision, r.incidentNumber])).toEqual([['declared', 1], ['declared', 1]]);
    expect((await textsOf('alice.martin@example.org')).at(-1)).toContain('⚠️ Remote access (VPN): VPN gateway gp-1 unreachable (monitoring).');
    expect(await textsOf('henri.blanc@example.org')).toEqual([]);
  });

  it('propose to close once the last alert resolves; an alert flapping back proposes nothing new', async () => {
    notifier.clear();
    clock.advance(5 * 60_000);
    const resolvedAt = clock.now().toISOString();
    const one = await post('alertmanager', alertmanager('resolved', [{ ...vpnDown[0]!, resolvedAt }]));
    expect((await one.json()).results[0].outcome).toBe('resolved');
    expect(await textsOf(claire.email)).toEqual([]);
    const both = await post('alertmanager', alertmanager('resolved', [{ ...vpnDown[0]!, resolvedAt }, { ...vpnDown[1]!, resolvedAt }]));
    expect((await both.json()).results.map((r: { outcome: string }) => r.outcome)).toEqual(['repeat', 'close-proposed']);
    const proposal = await textsOf(claire.email);
    expect(proposal).toHaveLength(1);
    expect(proposal[0]).toContain('✅ Monitoring: the alerts of major incident #1 are resolved. Resolve it?');
    const claireId = await idOf(claire.email);
    expect(notifier.sent.find((m) => m.userId === claireId)!.messages[0]).toMatchObject({ type: 'choices', choices: [{ label: 'Resolve', value: 'resolve incident #1: Restored (monitoring)' }] });
    clock.advance(2 * 60_000);
    const flap = await post('alertmanager', alertmanager('firing', [vpnDown[0]!]));
    expect((await flap.json()).results[0].outcome).toBe('flap');
    expect((await testDb.db.client.monitoringAlert.findFirstOrThrow({ where: { fingerprint: 'alertmanager:a1b2c3' } })).flaps).toBe(1);
    expect(await textsOf(claire.email)).toHaveLength(1);
    const resolved = await guichet.turn({ channel: 'web', deliveryId: `d-${++sequence}`, user: claire, conversation: { externalId: 'c-claire', kind: 'personal' }, text: 'resolve incident #1: Restored (monitoring)' });
    expect(resolved.replies.map(renderPlainText).join('\n')).toContain('Major incident #1 resolved');
  });

  it('the generic JSON above the configured severity declares directly; bad input is refused naming the field', async () => {
    const bad = await post('generic', { service: 'email', severity: 'apocalyptic', summary: 'Exchange down' }, 'bearer');
    expect(bad.status).toBe(400);
    expect((await bad.json()).message).toMatch(/^alerts: generic payload: field "severity": /);
    const before = await testDb.db.client.monitoringAlert.count();
    const made = await post('generic', { service: 'email', severity: 'critical', summary: 'Exchange Online unreachable', id: 'exo-1' }, 'bearer');
    expect((await made.json()).results).toEqual([{ fingerprint: 'generic:exo-1', outcome: 'declared' }]);
    expect(await testDb.db.client.monitoringAlert.count()).toBe(before + 1);
    const open = await guichet.incidents!.list({ status: 'open' });
    expect(open.map((i) => [i.serviceId, i.title.en, i.impact])).toEqual([['email', 'Exchange Online unreachable (monitoring)', 'high']]);
    const again = await post('generic', { service: 'email', severity: 'critical', summary: 'Exchange Online unreachable', id: 'exo-1' }, 'bearer');
    expect((await again.json()).results[0].outcome).toBe('repeat');
    expect(await guichet.incidents!.list({ status: 'open' })).toHaveLength(1);
  });
});
