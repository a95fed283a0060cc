/**
 * Retention periods applied by the job (issue #19) on the database of the run (SQLite, or PostgreSQL with
 * DATABASE_URL), with a controlled clock: what is older than its period goes (ended portal sessions and
 * abuse-limit counts counted from their end), the rest stays, a second run finds nothing, and each run
 * that deleted something is audited.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrismaPrivacyStore } from '../../src/persistence/stores/privacy.ts';
import { parseRetention } from '../../src/privacy/retention.ts';
import { runRetention } from '../../src/privacy/retention-job.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { FakeClock } from '../helpers/fake-channel.ts';

let testDb: TestDatabase;
const DAY = 86_400_000;
const now = new Date('2027-06-01T12:00:00Z');
const ago = (days: number) => new Date(now.getTime() - days * DAY);

beforeAll(async () => {
  testDb = await createTestDatabase();
  const c = testDb.db.client;
  const user = await c.user.create({ data: { displayName: 'Retention Person' } });
  const old = await c.conversation.create({ data: { channel: 'web', externalId: 'old', userId: user.id, state: {}, lastActivityAt: ago(400), createdAt: ago(400) } });
  const recent = await c.conversation.create({ data: { channel: 'web', externalId: 'recent', userId: user.id, state: {}, lastActivityAt: ago(10) } });
  // The old conversation has only old lines; the recent one an old line and a new one.
  await c.message.createMany({
    data: [
      { conversationId: old.id, userId: user.id, direction: 'in', author: 'user', kind: 'text', text: 'old line', createdAt: ago(400) },
      { conversationId: recent.id, userId: user.id, direction: 'in', author: 'user', kind: 'text', text: 'older line', createdAt: ago(366) },
      { conversationId: recent.id, userId: user.id, direction: 'in', author: 'user', kind: 'text', text: 'new line', createdAt: ago(10) },
    ],
  });
  await c.unansweredQuery.createMany({
    data: [
      { text: 'old gap', normalized: 'old gap', lang: 'en', createdAt: ago(181) },
      { text: 'new gap', normalized: 'new gap', lang: 'en', createdAt: ago(179) },
    ],
  });
  const article = await c.article.create({ data: { articleId: 'FAQ-9999', lang: 'en', type: 'faq', title: 't', tags: [], services: [], symptoms: [], body: 'b', contentHash: 'h', contentUpdatedAt: now } });
  await c.answerFeedback.createMany({
    data: [
      { articleRowId: article.id, helpful: true, createdAt: ago(800) },
      { articleRowId: article.id, helpful: false, createdAt: ago(20) },
    ],
  });
  await c.auditLog.createMany({
    data: [
      { actorKind: 'system', action: 'old.thing', entity: 'x', entityId: '1', at: ago(2000) },
      { actorKind: 'system', action: 'new.thing', entity: 'x', entityId: '2', at: ago(100) },
    ],
  });
  await c.processedDelivery.createMany({
    data: [
      { channel: 'web', deliveryId: 'old', replies: [], createdAt: ago(31) },
      { channel: 'web', deliveryId: 'new', replies: [], createdAt: ago(1) },
    ],
  });
  await c.glpiOutbox.createMany({
    data: [
      { key: 'done-old', ticketNumber: 1, kind: 'followup', payload: {}, status: 'done', createdAt: ago(100) },
      { key: 'pending-old', ticketNumber: 1, kind: 'followup', payload: {}, status: 'pending', createdAt: ago(100) },
      { key: 'dead-new', ticketNumber: 1, kind: 'followup', payload: {}, status: 'dead', createdAt: ago(5) },
    ],
  });
  // Sessions: signed out 31 days ago, expired 31 days ago, expired yesterday, still running; counts whose window ended 2 days ago, an hour ago, or later.
  await c.portalSession.createMany({
    data: [
      { id: 'revoked-old', userId: user.id, createdAt: ago(32), lastSeenAt: ago(31), expiresAt: new Date(ago(31).getTime() + 3_600_000), revokedAt: ago(31) },
      { id: 'expired-old', userId: user.id, createdAt: ago(32), lastSeenAt: ago(32), expiresAt: ago(31) },
      { id: 'expired-new', userId: user.id, createdAt: ago(2), lastSeenAt: ago(2), expiresAt: ago(1) },
      { id: 'running', userId: user.id, createdAt: now, lastSeenAt: now, expiresAt: new Date(now.getTime() + 3_600_000) },
    ],
  });
  await c.rateLimit.createMany({
    data: [
      { key: 'signin-ip:203.0.113.7', points: 3, expire: ago(2) },
      { key: `chat-user:${user.id}`, points: 1, expire: new Date(now.getTime() - 3_600_000) },
      { key: 'api-ip:203.0.113.8', points: 9, expire: new Date(now.getTime() + 60_000) },
    ],
  });
}, 60_000);

afterAll(async () => {
  await testDb?.cleanup();
});

describe('applyRetention', () => {
  it('deletes what is older than each period and keeps the rest; audited once', async () => {
    const c = testDb.db.client;
    const store = new PrismaPrivacyStore(testDb.db);
    const settings = parseRetention({ ratings: 730, audit: 1825 });
    const report = await runRetention(store, settings, new FakeClock(now));
    expect(report).toEqual({ transcripts: 2, conversations: 1, gaps: 1, ratings: 1, audit: 1, deliveries: 1, outbox: 1, sessions: 2, rateLimits: 1 });
    expect((await c.message.findMany()).map((m) => m.text)).toEqual(['new line']);
    expect((await c.conversation.findMany()).map((x) => x.externalId)).toEqual(['recent']);
    expect((await c.unansweredQuery.findMany()).map((g) => g.text)).toEqual(['new gap']);
    expect((await c.answerFeedback.findMany()).map((r) => r.helpful)).toEqual([false]);
    expect((await c.processedDelivery.findMany()).map((d) => d.deliveryId)).toEqual(['new']);
    expect((await c.glpiOutbox.findMany({ orderBy: { key: 'asc' } })).map((o) => o.key)).toEqual(['dead-new', 'pending-old']);
    expect((await c.portalSession.findMany({ orderBy: { id: 'asc' } })).map((x) => x.id)).toEqual(['expired-new', 'running']);
    expect((await c.rateLimit.findMany({ orderBy: { key: 'asc' } })).map((r) => r.key)).toEqual(['api-ip:203.0.113.8', expect.stringMatching(/^chat-user:/)]);
    const audit = await c.auditLog.findMany({ orderBy: { at: 'asc' } });
    expect(audit.map((a) => a.action)).toEqual(['new.thing', 'privacy.retention']);
    expect(audit[1]!.after).toEqual(report);

    // The same instant again: nothing left to delete, nothing audited.
    expect(await runRetention(store, settings, new FakeClock(now))).toEqual({ transcripts: 0, conversations: 0, gaps: 0, ratings: 0, audit: 0, deliveries: 0, outbox: 0, sessions: 0, rateLimits: 0 });
    expect(await c.auditLog.count({ where: { action: 'privacy.retention' } })).toBe(1);
  });

  it('keeps a kind set to forever; the clock moving on deletes the rest in turn', async () => {
    const c = testDb.db.client;
    const store = new PrismaPrivacyStore(testDb.db);
    const settings = parseRetention({ transcripts: 'forever', gaps: 'forever', sessions: 'forever' });
    const later = new FakeClock(new Date(now.getTime() + 400 * DAY));
    const report = await runRetention(store, settings, later);
    expect(report).not.toHaveProperty('transcripts');
    expect(report).not.toHaveProperty('gaps');
    expect(report).not.toHaveProperty('sessions');
    expect(report).toMatchObject({ ratings: 0, deliveries: 1, outbox: 1, rateLimits: 2 });
    expect(await c.portalSession.count()).toBe(2);
    expect(await c.rateLimit.count()).toBe(0);
    expect(await c.message.count()).toBe(1);
    expect(await c.unansweredQuery.count()).toBe(1);
    expect(await c.glpiOutbox.count()).toBe(1);
  });
});
