/**
 * Analytics periods in the desk's time zone: the chosen days are counted exactly, with the
 * messages of their local midnight hours and none of the next day, on SQLite and PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeMetrics } from '../../src/analytics/metrics.ts';
import { PrismaMetricsQuery } from '../../src/persistence/stores/metrics.ts';
import { lastDays, periodOfDays } from '../../src/analytics/period.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';

let testDb: TestDatabase;

beforeAll(async () => {
  testDb = await createTestDatabase();
  const c = testDb.db.client;
  const user = await c.user.create({ data: { displayName: 'Bruno Petit' } });
  const say = async (externalId: string, iso: string) => {
    const conv = await c.conversation.create({ data: { channel: 'web', externalId, userId: user.id, state: {} } });
    await c.message.create({ data: { conversationId: conv.id, direction: 'in', author: 'user', kind: 'text', text: 'bonjour', createdAt: new Date(iso) } });
  };
  await say('just-after-paris-midnight', '2026-11-22T23:30:00Z'); // 23 Nov 00:30 in Paris: in the period
  await say('midday', '2026-11-24T10:00:00Z'); // 24 Nov
  await say('next-day-in-paris', '2026-11-25T23:30:00Z'); // 26 Nov 00:30 in Paris: after the period
}, 60_000);

afterAll(async () => {
  await testDb?.cleanup();
});

describe('analytics period', () => {
  it('starts and ends at local midnight, also on a 25-hour DST day', () => {
    expect(periodOfDays('2026-11-23', '2026-11-25', 'Europe/Paris')).toEqual({ from: new Date('2026-11-22T23:00:00Z'), to: new Date('2026-11-25T23:00:00Z') });
    expect(periodOfDays('2026-10-25', '2026-10-25', 'Europe/Paris')).toEqual({ from: new Date('2026-10-24T22:00:00Z'), to: new Date('2026-10-25T23:00:00Z') });
    expect(periodOfDays('2026-11-23', '2026-11-23', 'UTC')).toEqual({ from: new Date('2026-11-23T00:00:00Z'), to: new Date('2026-11-24T00:00:00Z') });
  });

  it('refuses a bad date, an unknown time zone and a period that ends before it starts', () => {
    expect(() => periodOfDays('2026-11-31', '2026-12-01', 'Europe/Paris')).toThrow(/from must be a date YYYY-MM-DD, got "2026-11-31"/);
    expect(() => periodOfDays('2026-11-23', '2026-11-25', 'Europe/Lutece')).toThrow(/"Europe\/Lutece" is not a time zone/);
    expect(() => periodOfDays('2026-11-25', '2026-11-23', 'Europe/Paris')).toThrow(/must end after it starts \(from 2026-11-25, to 2026-11-23\)/);
  });

  it('proposes the last days up to the desk’s today, even when the UTC date is still yesterday', () => {
    // 00:17 on 29 November in Paris is 23:17 on the 28th in UTC.
    expect(lastDays(new Date('2026-11-28T23:17:00Z'), 'Europe/Paris', 31)).toEqual({ from: '2026-10-30', to: '2026-11-29' });
    expect(lastDays(new Date('2026-11-28T23:17:00Z'), 'UTC', 1)).toEqual({ from: '2026-11-28', to: '2026-11-28' });
  });

  it('counts exactly the chosen days in the desk time zone', async () => {
    const m = await computeMetrics(new PrismaMetricsQuery(testDb.db), periodOfDays('2026-11-23', '2026-11-25', 'Europe/Paris'), 'Europe/Paris');
    expect(m.conversationsPerDay).toEqual([
      { day: '2026-11-23', count: 1 },
      { day: '2026-11-24', count: 1 },
      { day: '2026-11-25', count: 0 },
    ]);
    expect(m.conversations).toBe(2);
  });
});
