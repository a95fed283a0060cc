/**
 * Slack in Socket Mode (SLACK_APP_TOKEN): the server connects out over a
 * WebSocket — here to a local test server standing in for Slack's socket
 * endpoint, whose URL the fake Web API gives from apps.connections.open —
 * acknowledges each envelope, answers through the Web API, processes a
 * retried envelope once, and serves nothing at /slack/events.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import { loadConfig } from '../../src/config.ts';
import { start, type Running } from '../../src/main.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { FakeSlackApi } from '../helpers/fake-slack-api.ts';
import { freePort } from '../helpers/process.ts';
import { SIGNING_SECRET, TEAM, dmEvent } from '../helpers/slack-signing.ts';

let running: Running;
let testDb: TestDatabase;
let fake: FakeSlackApi;
let sockets: WebSocketServer;
let connection: WebSocket | undefined;
const acks: string[] = [];

beforeAll(async () => {
  testDb = await createTestDatabase();
  fake = await FakeSlackApi.start();
  const port = await freePort();
  sockets = new WebSocketServer({ host: '127.0.0.1', port });
  sockets.on('connection', (ws) => {
    connection = ws;
    ws.on('message', (data) => {
      const message = JSON.parse(String(data)) as { envelope_id?: string };
      if (message.envelope_id) acks.push(message.envelope_id);
    });
    ws.send(JSON.stringify({ type: 'hello', num_connections: 1, debug_info: { host: 'test' }, connection_info: { app_id: 'A0GUICHET' } }));
  });
  fake.socketUrl = `ws://127.0.0.1:${port}/`;
  fake.addUser({ id: 'U0SOCKET', team_id: TEAM, name: 'sam', real_name: 'Sam Leroy', tz: 'Europe/Paris', locale: 'fr-FR', profile: { real_name: 'Sam Leroy', email: 'sam.leroy@acme.test' } });
  running = await start(
    loadConfig({
      PORT: '0', LOG_LEVEL: 'silent', CHANNELS: 'web,slack', SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_APP_TOKEN: 'xapp-test',
      SLACK_API_URL: fake.apiUrl, SLACK_TEAM_IDS: TEAM, DATABASE_URL: testDb.url, SLA_TICK_SECONDS: '0',
    }),
  );
}, 120_000);

afterAll(async () => {
  await running?.stop();
  await new Promise((resolve) => sockets?.close(resolve));
  await fake?.stop();
  await testDb?.cleanup();
});

describe('Slack in Socket Mode', () => {
  it('connects with the app token, acknowledges an event envelope and answers through the Web API, once even when Slack retries', async () => {
    expect(fake.ok('apps.connections.open')[0]?.authorization).toBe('Bearer xapp-test');
    expect(connection).toBeDefined();
    const envelope = dmEvent('U0SOCKET', 'bonjour');
    connection!.send(JSON.stringify({ envelope_id: 'env-1', type: 'events_api', accepts_response_payload: false, retry_attempt: 0, retry_reason: '', payload: envelope }));
    await fake.waitForOk('chat.postMessage', 1, 10_000);
    expect(acks).toContain('env-1');
    expect(fake.ok('chat.postMessage')[0]!.args).toMatchObject({ channel: 'D0SOCKET', text: expect.stringMatching(/^Bonjour Sam ! Je suis Guichet/) });

    connection!.send(JSON.stringify({ envelope_id: 'env-2', type: 'events_api', accepts_response_payload: false, retry_attempt: 1, retry_reason: 'timeout', payload: envelope }));
    await expect.poll(() => acks).toContain('env-2');
    await new Promise((r) => setTimeout(r, 300));
    expect(fake.ok('chat.postMessage')).toHaveLength(1);
    expect(await testDb.db.client.processedDelivery.count({ where: { channel: 'slack', deliveryId: envelope.event_id } })).toBe(1);
  });

  it('serves nothing at /slack/events', async () => {
    const response = await fetch(`${running.url}/slack/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(response.status).toBe(404);
  });
});
