/** The metrics computed over rows in memory: the counting is the analytics module's own, with no database. */
import { describe, expect, it } from 'vitest';
import { MemoryMetricsQuery } from '../../../src/analytics/memory-metrics.ts';
import { computeMetrics } from '../../../src/analytics/metrics.ts';

const at = (iso: string) => new Date(iso);
const sla = { responseDueAt: null, firstResponseAt: null, responseBreached: false, resolutionDueAt: null, resolvedAt: null, resolutionBreached: false };

describe('computeMetrics over MemoryMetricsQuery', () => {
  it('counts conversations per day, self-service without a ticket, escalation, intents and gaps', async () => {
    const query = new MemoryMetricsQuery({
      messages: [
        { conversationId: 'a', createdAt: at('2026-11-23T09:00:00Z'), intent: 'vpn' },
        { conversationId: 'b', createdAt: at('2026-11-23T10:00:00Z'), intent: 'vpn' },
        { conversationId: 'b', createdAt: at('2026-11-24T10:00:00Z'), intent: 'password' },
        { conversationId: 'c', createdAt: at('2026-11-30T10:00:00Z'), intent: 'printer' }, // outside
      ],
      ticketed: ['b'],
      selfServed: ['a', 'b'],
      tickets: [{ ...sla, priority: 2, category: 'vpn', createdAt: at('2026-11-23T10:00:00Z'), resolvedAt: at('2026-11-23T12:00:00Z'), closedAt: at('2026-11-23T13:00:00Z'), csatScore: 4 }],
      unanswered: [
        { text: 'La cantine ?', normalized: 'cantine', createdAt: at('2026-11-23T11:00:00Z') },
        { text: 'cantine', normalized: 'cantine', createdAt: at('2026-11-24T11:00:00Z') },
      ],
    });
    const m = await computeMetrics(query, { from: at('2026-11-23T00:00:00Z'), to: at('2026-11-25T00:00:00Z') });
    expect(m.conversationsPerDay).toEqual([{ day: '2026-11-23', count: 2 }, { day: '2026-11-24', count: 1 }]);
    expect(m.conversations).toBe(2);
    expect(m.deflectionRate).toBe(0.5);
    expect(m.escalationRate).toBe(0.5);
    expect(m.meanHoursToResolve).toBe(2);
    expect(m.satisfaction).toEqual({ average: 4, answers: 1 });
    expect(m.topIntents).toEqual([{ intent: 'vpn', count: 2 }, { intent: 'password', count: 1 }]);
    expect(m.topCategories).toEqual([{ category: 'vpn', count: 1 }]);
    expect(m.topGaps).toEqual([{ text: 'La cantine ?', count: 2 }]);
  });

  it('refuses a period that ends before it starts, with its code', async () => {
    await expect(computeMetrics(new MemoryMetricsQuery({}), { from: at('2026-11-25T00:00:00Z'), to: at('2026-11-23T00:00:00Z') })).rejects.toMatchObject({ code: 'analytics.invalid-period' });
  });
});
