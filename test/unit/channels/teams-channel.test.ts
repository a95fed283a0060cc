/**
 * The Teams channel on its own: mounted in a bare Express app, with a fake `turn` (no core, no
 * database) and the fake Bot Connector, to check what the adapter decides by itself: tenants,
 * redeliveries, failures, activities that are not messages.
 */
import { Writable } from 'node:stream';
import express from 'express';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTeamsChannel } from '../../../src/channels/teams/index.ts';
import type { TurnResult } from '../../../src/core/handle-turn.ts';
import type { InboundMessage, OutboundMessage } from '../../../src/core/messages.ts';
import { FakeBotConnector } from '../../helpers/fake-bot-connector.ts';
import { listenLocal } from '../../helpers/http.ts';

let fake: FakeBotConnector;
beforeAll(async () => {
  fake = await FakeBotConnector.start();
});
afterAll(async () => {
  await fake.stop();
});

interface Harness {
  url: string;
  inbound: InboundMessage[];
  logs: Record<string, unknown>[];
  close(): Promise<void>;
}

const servers: Harness[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
  fake.reset();
});

/** A server with only the Teams channel; `answer` plays the core. */
async function harness(tenants: string[], answer: (m: InboundMessage) => Promise<Partial<TurnResult>>): Promise<Harness> {
  const inbound: InboundMessage[] = [];
  const logs: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) logs.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const channel = createTeamsChannel({
    config: { MicrosoftAppType: 'MultiTenant', TEAMS_TENANT_IDS: tenants },
    turn: async (m) => {
      inbound.push(m);
      return { replies: [], lang: 'fr', duplicate: false, conversationId: 'c', userId: 'u', ...(await answer(m)) };
    },
    log: pino({ level: 'debug' }, sink),
    retry: { sleep: async () => {} },
  });
  const app = express();
  app.use(channel.mount.path, channel.mount.handler);
  const server = await listenLocal(app);
  const h: Harness = {
    url: server.url,
    inbound,
    logs,
    close: server.close,
  };
  servers.push(h);
  return h;
}

const hello: OutboundMessage[] = [{ type: 'text', text: 'Hello!' }];

function message(tenant: string, text = 'secret words', fields: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    type: 'message',
    id: `id-${Math.random()}`,
    channelId: 'msteams',
    serviceUrl: fake.url,
    from: { id: '29:u', aadObjectId: 'aad-u', name: 'U' },
    recipient: { id: '28:bot', name: 'Guichet' },
    conversation: { id: 'a:c', conversationType: 'personal', tenantId: tenant },
    text,
    ...fields,
  };
}

const post = (h: Harness, body: unknown) =>
  fetch(`${h.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('Teams channel', () => {
  it('serves any tenant when TEAMS_TENANT_IDS is empty (development)', async () => {
    const h = await harness([], async () => ({ replies: hello }));
    expect((await post(h, message('any-tenant'))).status).toBe(200);
    expect(h.inbound.map((m) => m.tenantId)).toEqual(['any-tenant']);
    expect(fake.activities().map((a) => a.text)).toEqual(['Hello!']);
  });

  it('drops other tenants when TEAMS_TENANT_IDS is set, with a warning that holds no message text', async () => {
    const h = await harness(['t-ok'], async () => ({ replies: hello }));
    expect((await post(h, message('t-other', 'my password is hunter2'))).status).toBe(200);
    expect(h.inbound).toEqual([]);
    expect(fake.requests).toEqual([]);
    const warning = h.logs.find((l) => l.level === 40);
    expect(warning).toMatchObject({ channel: 'teams', tenantId: 't-other', msg: 'teams: message from a tenant not in TEAMS_TENANT_IDS ignored' });
    expect(JSON.stringify(h.logs)).not.toContain('hunter2');
  });

  it('sends nothing again for a delivery the core has already answered', async () => {
    const h = await harness([], async () => ({ replies: hello, duplicate: true }));
    expect((await post(h, message('t'))).status).toBe(200);
    expect(h.inbound).toHaveLength(1);
    // Only the sender's member record was asked for (first message of this user): nothing was sent.
    expect(fake.requests.map((r) => r.method)).toEqual(['GET']);
    expect(fake.activityAttempts()).toEqual([]);
  });

  it('fills the sender’s e-mail from Teams’ member record, asked once per user, and logs no one’s data', async () => {
    fake.addMember('29:u', { name: 'U', aadObjectId: 'aad-u', email: 'u.someone@example.org', userPrincipalName: 'u.someone@example.org' });
    const h = await harness([], async () => ({ replies: hello }));
    await post(h, message('t', 'first'));
    await post(h, message('t', 'second'));
    expect(h.inbound.map((m) => m.user.email)).toEqual(['u.someone@example.org', undefined]);
    expect(fake.requests.filter((r) => r.method === 'GET').map((r) => r.path)).toEqual([`/v3/conversations/${encodeURIComponent('a:c')}/members/${encodeURIComponent('29:u')}`]);
    expect(JSON.stringify(h.logs)).not.toContain('u.someone@example.org');
  });

  it('goes on without an e-mail when Teams has no member record, and does not ask again', async () => {
    const h = await harness([], async () => ({ replies: hello }));
    const stranger = { from: { id: '29:stranger', aadObjectId: 'aad-stranger', name: 'S' } };
    await post(h, message('t', 'first', stranger));
    await post(h, message('t', 'second', stranger));
    expect(h.inbound.map((m) => [m.text, m.user.email])).toEqual([
      ['first', undefined],
      ['second', undefined],
    ]);
    expect(fake.requests.filter((r) => r.method === 'GET').map((r) => r.status)).toEqual([404]);
    expect(fake.activities().map((a) => a.text)).toEqual(['Hello!', 'Hello!']);
    expect(h.logs.find((l) => l.msg === 'teams: member profile lookup failed; going on without the e-mail')).toMatchObject({ status: 404 });
  });

  it('apologises in both languages when the turn fails, and still answers 200', async () => {
    const h = await harness([], async () => {
      throw new Error('database down');
    });
    expect((await post(h, message('t'))).status).toBe(200);
    expect(fake.activities().map((a) => a.text)).toEqual([
      'Désolé, une erreur est survenue de mon côté. Réessayez dans un instant. / Sorry, something went wrong on my side. Please try again in a moment.',
    ]);
    expect(h.logs.find((l) => l.level === 50)).toMatchObject({ msg: 'teams: turn failed', err: { message: 'database down' } });
  });

  it('sends replies one by one, retrying a throttled one without resending the first', async () => {
    const h = await harness([], async () => ({ replies: [...hello, { type: 'text', text: 'Second' }] }));
    fake.failNext(2, { status: 429 }, 1);
    expect((await post(h, message('t'))).status).toBe(200);
    expect(fake.activityAttempts().map((a) => [a.body.text, a.status])).toEqual([
      ['Hello!', 200],
      ['Second', 429],
      ['Second', 429],
      ['Second', 200],
    ]);
  });

  it('ignores activities that are not messages (but the bot’s own install), and group messages without a mention', async () => {
    const h = await harness([], async () => ({ replies: hello }));
    // Someone else joining, and the bot added to a group chat: nothing (installing it in a personal chat greets: teams-tickets.test.ts).
    expect((await post(h, { ...message('t'), type: 'conversationUpdate', membersAdded: [{ id: '29:someone-else' }] })).status).toBe(200);
    expect((await post(h, { ...message('t', 'x', { conversation: { id: '19:g@thread.v2', conversationType: 'groupChat', tenantId: 't' } }), type: 'conversationUpdate', membersAdded: [{ id: '28:bot' }] })).status).toBe(200);
    expect((await post(h, { ...message('t'), type: 'messageReaction', reactionsAdded: [{ type: 'like' }] })).status).toBe(200);
    expect((await post(h, message('t', 'hi', { conversation: { id: '19:g@thread.v2', conversationType: 'groupChat', tenantId: 't' } }))).status).toBe(200);
    expect(h.inbound).toEqual([]);
    expect(fake.requests).toEqual([]);
    expect(h.logs.filter((l) => l.msg === 'teams: activity ignored').map((l) => l.reason)).toEqual(['not-mentioned']);
  });

  it('answers bodies that are not activities with 400', async () => {
    const h = await harness([], async () => ({ replies: hello }));
    expect((await post(h, { type: 42 })).status).toBe(400);
    expect((await post(h, [])).status).toBe(400);
    expect((await post(h, { hello: 'world' })).status).toBe(400);
    expect(h.inbound).toEqual([]);
  });
});
