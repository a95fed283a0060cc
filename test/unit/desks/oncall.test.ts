import { describe, expect, it } from 'vitest';
import { onCallAt, pages, pagingOrder, rotaFor } from '../../../src/desks/oncall.ts';
import { pagerDutyEvent, severityOf } from '../../../src/desks/pagerduty.ts';
import { organisation } from './fixture.ts';

const { org } = organisation();
const rota = rotaFor(org.oncall, 'central')!;

describe('on-call rota', () => {
  it('hands over every week from the start, and runs backwards before it', () => {
    expect(onCallAt(org.oncall, rota, new Date('2026-11-30T08:00:00Z'))).toBe('marc@example.org');
    expect(onCallAt(org.oncall, rota, new Date('2026-12-07T07:59:00Z'))).toBe('marc@example.org');
    expect(onCallAt(org.oncall, rota, new Date('2026-12-07T08:00:00Z'))).toBe('nadia@example.org');
    expect(onCallAt(org.oncall, rota, new Date('2026-12-14T08:00:00Z'))).toBe('thomas@example.org');
    expect(onCallAt(org.oncall, rota, new Date('2026-12-21T08:00:00Z'))).toBe('marc@example.org');
    expect(onCallAt(org.oncall, rota, new Date('2026-11-29T08:00:00Z'))).toBe('thomas@example.org');
  });

  it('an override puts someone else on call, then the scheduled people follow in order', () => {
    const christmas = new Date('2026-12-25T12:00:00Z'); // marc's week
    expect(onCallAt(org.oncall, rota, christmas)).toBe('olivier@example.org');
    expect(pagingOrder(org.oncall, rota, christmas)).toEqual(['olivier@example.org', 'marc@example.org', 'nadia@example.org', 'thomas@example.org']);
    expect(pagingOrder(org.oncall, rota, new Date('2026-12-08T12:00:00Z'))).toEqual(['nadia@example.org', 'thomas@example.org', 'marc@example.org']);
  });

  it('pages P1 and security tickets only', () => {
    expect(pages(org, { priority: 1, category: 'incident' })).toBe(true);
    expect(pages(org, { priority: 4, category: 'security' })).toBe(true);
    expect(pages(org, { priority: 2, category: 'incident' })).toBe(false);
  });
});

describe('Events API v2 payload', () => {
  it('carries the payload on trigger only, with a bounded dedup key and summary', () => {
    const facts = { dedupKey: 'k'.repeat(300), summary: 's'.repeat(2000), severity: severityOf(2), at: new Date('2026-12-06T21:00:00Z'), details: { ticket: 1 } };
    const trigger = pagerDutyEvent('RK', 'trigger', facts);
    expect(trigger.dedup_key).toHaveLength(255);
    expect(trigger.payload).toMatchObject({ source: 'guichet', severity: 'error', timestamp: '2026-12-06T21:00:00.000Z', custom_details: { ticket: 1 } });
    expect(trigger.payload!.summary).toHaveLength(1024);
    expect(pagerDutyEvent('RK', 'resolve', facts)).toEqual({ routing_key: 'RK', event_action: 'resolve', dedup_key: 'k'.repeat(255) });
    expect([1, 2, 3, 4, 5].map(severityOf)).toEqual(['critical', 'error', 'warning', 'info', 'info']);
  });
});
