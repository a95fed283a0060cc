/**
 * Self-service (deflection) counts a conversation once whether the user rated an answer "this
 * fixed it" or confirmed a guided flow's fix (audit row 'flow.resolved'), and never when the
 * conversation led to a ticket; on SQLite and PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeMetrics, FLOW_RESOLVED } from '../../src/analytics/metrics.ts';
import { PrismaMetricsQuery } from '../../src/persistence/stores/metrics.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';

let testDb: TestDatabase;
const period = { from: new Date('2026-11-23T00:00:00Z'), to: new Date('2026-11-24T00:00:00Z') };

beforeAll(async () => {
  testDb = await createTestDatabase();
  const c = testDb.db.client;
  const user = await c.user.create({ data: { displayName: 'Chloé Durand' } });
  const conv = async (externalId: string) => {
    const row = await c.conversation.create({ data: { channel: 'web', externalId, userId: user.id, state: {} } });
    await c.message.create({ data: { conversationId: row.id, direction: 'in', author: 'user', kind: 'text', text: 'mon VPN ne marche plus', createdAt: new Date('2026-11-23T09:00:00Z') } });
    return row.id;
  };
  const [byFlow, byArticleAndFlow, flowThenTicket] = [await conv('flow'), await conv('article+flow'), await conv('flow+ticket')];
  await conv('nothing'); // a question, no answer rated, no flow resolved, no ticket
  const resolved = (conversationId: string) =>
    c.auditLog.create({ data: { actorId: user.id, actorKind: 'user', action: FLOW_RESOLVED.action, entity: FLOW_RESOLVED.entity, entityId: conversationId, after: { flowId: 'vpn', serviceId: 'vpn' } } });
  await resolved(byFlow);
  await resolved(byArticleAndFlow);
  await resolved(flowThenTicket);
  const article = await c.article.create({ data: { articleId: 'FAQ-0001', lang: 'fr', type: 'faq', title: 't', tags: [], services: [], symptoms: [], body: 'b', status: 'published', contentHash: 'h', contentUpdatedAt: new Date('2026-11-01T00:00:00Z') } });
  await c.answerFeedback.create({ data: { articleRowId: article.id, helpful: true, conversationId: byArticleAndFlow } });
  await c.ticket.create({ data: { number: 1, type: 'incident', title: 'VPN', description: 'd', category: 'vpn', impact: 2, urgency: 2, priority: 3, requesterId: user.id, diagnosis: {}, conversationId: flowThenTicket, createdAt: new Date('2026-11-23T10:00:00Z') } });
  // A resolved flow in a conversation with no message in the period is not counted.
  await resolved('some-other-conversation');
}, 60_000);

afterAll(async () => {
  await testDb?.cleanup();
});

describe('self-service rate', () => {
  it('counts conversations resolved by a flow or a helpful article, once, and not those that led to a ticket', async () => {
    const m = await computeMetrics(new PrismaMetricsQuery(testDb.db), period);
    expect(m.conversations).toBe(4);
    expect(m.deflectionRate).toBe(0.5); // byFlow and byArticleAndFlow (counted once); flowThenTicket has a ticket
    expect(m.escalationRate).toBe(0.25);
  });
});
