/** Service desk metrics on a seeded database with known answers, on SQLite and PostgreSQL. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeMetrics } from '../../src/analytics/metrics.ts';
import { PrismaMetricsQuery } from '../../src/persistence/stores/metrics.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';

let testDb: TestDatabase;
const at = (iso: string) => new Date(iso);

beforeAll(async () => {
  testDb = await createTestDatabase();
  const c = testDb.db.client;
  const user = await c.user.create({ data: { displayName: 'Alice Martin' } });
  const conv = async (id: string) => (await c.conversation.create({ data: { channel: 'web', externalId: id, userId: user.id, state: {} } })).id;
  const [c1, c2, c3, c4] = [await conv('c1'), await conv('c2'), await conv('c3'), await conv('c4')];
  const say = (conversationId: string, when: string, intent?: string) =>
    c.message.create({ data: { conversationId, direction: 'in', author: 'user', kind: 'text', text: 'hello', createdAt: at(when), ...(intent ? { payload: { intent } } : {}) } });
  await say(c1, '2026-11-23T09:00:00Z', 'password');
  await say(c2, '2026-11-23T10:00:00Z', 'vpn');
  await say(c2, '2026-11-24T10:00:00Z', 'password');
  await say(c3, '2026-11-24T11:00:00Z', 'printer');
  await say(c4, '2026-11-24T12:00:00Z');
  await say(c4, '2026-12-05T12:00:00Z'); // outside the period
  const article = await c.article.create({ data: { articleId: 'FAQ-0001', lang: 'fr', type: 'faq', title: 't', tags: [], services: [], symptoms: [], body: 'b', status: 'published', contentHash: 'h', contentUpdatedAt: at('2026-11-01T00:00:00Z') } });
  await c.answerFeedback.create({ data: { articleRowId: article.id, helpful: true, conversationId: c1 } });
  await c.answerFeedback.create({ data: { articleRowId: article.id, helpful: true, conversationId: c2 } });
  const ticket = (number: number, data: Record<string, unknown>) =>
    c.ticket.create({ data: { number, type: 'incident', title: `t${number}`, description: 'd', category: 'vpn', impact: 1, urgency: 2, priority: 2, requesterId: user.id, diagnosis: {}, ...data } as never });
  await ticket(1001, {
    conversationId: c2, createdAt: at('2026-11-23T10:00:00Z'), responseDueAt: at('2026-11-23T10:30:00Z'), firstResponseAt: at('2026-11-23T10:10:00Z'),
    resolutionDueAt: at('2026-11-23T18:00:00Z'), resolvedAt: at('2026-11-23T12:00:00Z'), status: 'closed', closedAt: at('2026-11-23T13:00:00Z'), csatScore: 5,
  });
  await ticket(1002, {
    conversationId: c3, category: 'printer', createdAt: at('2026-11-24T11:00:00Z'), responseDueAt: at('2026-11-24T11:30:00Z'), responseBreached: true, firstResponseAt: at('2026-11-24T12:00:00Z'),
    resolutionDueAt: at('2026-11-24T15:00:00Z'), resolvedAt: at('2026-11-24T17:00:00Z'), status: 'closed', closedAt: at('2026-11-24T18:00:00Z'), csatScore: 3,
  });
  await ticket(1003, { priority: 4, impact: 2, urgency: 3, createdAt: at('2026-11-24T13:00:00Z'), responseDueAt: at('2026-11-24T17:00:00Z'), resolutionDueAt: at('2026-11-30T17:00:00Z') });
  for (const [text, normalized] of [['Imprimante bleue ?', 'imprimante bleue'], ['imprimante bleue', 'imprimante bleue'], ['La cantine', 'cantine']]) {
    await c.unansweredQuery.create({ data: { text: text!, normalized: normalized!, lang: 'fr', createdAt: at('2026-11-24T09:00:00Z') } });
  }
}, 60_000);

afterAll(async () => {
  await testDb?.cleanup();
});

describe('service desk metrics', () => {
  it('counts conversations, deflection, escalation, SLA compliance, resolution time, satisfaction, categories and gaps', async () => {
    const m = await computeMetrics(new PrismaMetricsQuery(testDb.db), { from: at('2026-11-23T00:00:00Z'), to: at('2026-11-26T00:00:00Z') });
    expect(m.conversationsPerDay).toEqual([
      { day: '2026-11-23', count: 2 },
      { day: '2026-11-24', count: 3 },
      { day: '2026-11-25', count: 0 },
    ]);
    expect(m.conversations).toBe(4);
    expect(m.deflectionRate).toBe(0.25); // c1: rated helpful, no ticket
    expect(m.escalationRate).toBe(0.5); // c2 and c3 led to tickets
    expect(m.sla.find((s) => s.priority === 2)).toEqual({ priority: 2, tickets: 2, responseMet: 0.5, resolutionMet: 0.5 });
    expect(m.sla.find((s) => s.priority === 4)).toEqual({ priority: 4, tickets: 1, responseMet: null, resolutionMet: null });
    expect(m.meanHoursToResolve).toBe(4);
    expect(m.satisfaction).toEqual({ average: 4, answers: 2 });
    expect(m.topCategories).toEqual([{ category: 'vpn', count: 2 }, { category: 'printer', count: 1 }]);
    expect(m.topIntents).toEqual([{ intent: 'password', count: 2 }, { intent: 'printer', count: 1 }, { intent: 'vpn', count: 1 }]);
    expect(m.topGaps).toEqual([{ text: 'Imprimante bleue ?', count: 2 }, { text: 'La cantine', count: 1 }]);
  });

  it('refuses a period that ends before it starts or lasts over a year', async () => {
    await expect(computeMetrics(new PrismaMetricsQuery(testDb.db), { from: at('2026-11-26T00:00:00Z'), to: at('2026-11-23T00:00:00Z') })).rejects.toThrow(/the period must end after it starts/);
    await expect(computeMetrics(new PrismaMetricsQuery(testDb.db), { from: at('2025-01-01T00:00:00Z'), to: at('2026-11-23T00:00:00Z') })).rejects.toThrow(/a year at most/);
  });
});
