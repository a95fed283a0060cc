import { describe, expect, it } from 'vitest';
import { isOpen, nextOpening } from '../../../src/desks/hours.ts';
import { route, siteOf, type RoutingFacts } from '../../../src/desks/routing.ts';
import { DESKS_YML, organisation } from './fixture.ts';

const { org } = organisation();
const TUESDAY_10H = new Date('2026-12-01T09:00:00Z'); // 10:00 in Paris
const SUNDAY_22H = new Date('2026-12-06T21:00:00Z'); // 22:00 in Paris
const facts = (over: Partial<RoutingFacts>): RoutingFacts => ({ email: null, department: null, lang: 'fr', category: 'incident', serviceId: null, priority: 4, ticketGroupId: 'service-desk', ...over });

describe('routing', () => {
  it('sends escalations from three sites to their local desks and the rest to the central desk', () => {
    expect(route(org, facts({ department: 'Finance' }), TUESDAY_10H)).toMatchObject({ desk: { id: 'paris' }, site: 'paris', reason: 'site' });
    expect(route(org, facts({ department: 'logistics', ticketGroupId: 'workplace' }), TUESDAY_10H)).toMatchObject({ desk: { id: 'lyon' }, group: { id: 'workplace' }, site: 'lyon' });
    expect(route(org, facts({ email: 'zoe@example.org', department: 'Engineering' }), TUESDAY_10H)).toMatchObject({ desk: { id: 'lille' }, site: 'lille' });
    expect(route(org, facts({ department: 'Engineering' }), TUESDAY_10H)).toMatchObject({ desk: { id: 'central' }, site: undefined, reason: 'default' });
    expect(route(org, facts({}), TUESDAY_10H).desk.id).toBe('central');
  });

  it('skips a local desk that does not speak the requester’s language', () => {
    expect(route(org, facts({ department: 'Logistics', lang: 'en' }), TUESDAY_10H).desk.id).toBe('central');
  });

  it('picks the group whose skills fit: the service, the category, else the ticket’s own group', () => {
    expect(route(org, facts({ serviceId: 'vpn', ticketGroupId: 'network' }), TUESDAY_10H).group?.id).toBe('network');
    expect(route(org, facts({ serviceId: 'vpn', ticketGroupId: null }), TUESDAY_10H).group?.id).toBe('network');
    expect(route(org, facts({ category: 'security', ticketGroupId: null }), TUESDAY_10H).group?.id).toBe('infrastructure');
    expect(route(org, facts({ serviceId: 'email' }), TUESDAY_10H).group?.id).toBe('service-desk');
  });

  it('finds the site by e-mail before the department', () => {
    expect(siteOf(org, 'ZOE@example.org', 'Finance')).toBe('lille');
    expect(siteOf(org, null, 'finance')).toBe('paris');
    expect(siteOf(org, null, null)).toBeUndefined();
  });
});

describe('opening hours', () => {
  const central = org.desks.find((d) => d.id === 'central')!;
  const sun = org.desks.find((d) => d.id === 'sun')!;

  it('is closed at 22:00 on Sunday and opens on Monday at 08:00 Paris time', () => {
    expect(isOpen(org, central, SUNDAY_22H)).toBe(false);
    expect(nextOpening(org, central, SUNDAY_22H).toISOString()).toBe('2026-12-07T07:00:00.000Z');
    expect(isOpen(org, central, TUESDAY_10H)).toBe(true);
    expect(nextOpening(org, central, TUESDAY_10H)).toEqual(TUESDAY_10H);
  });

  it('follows the sun: open while either calendar is, opening at the earliest', () => {
    const tuesday20hParis = new Date('2026-12-01T19:00:00Z'); // Paris closed, 14:00 in Montréal
    expect(isOpen(org, central, tuesday20hParis)).toBe(false);
    expect(isOpen(org, sun, tuesday20hParis)).toBe(true);
    const tuesday23hParis = new Date('2026-12-01T22:30:00Z'); // 17:30 in Montréal: both closed
    expect(nextOpening(org, sun, tuesday23hParis).toISOString()).toBe('2026-12-02T07:00:00.000Z');
  });

  it('a holiday is closed all day', () => {
    expect(isOpen(org, central, new Date('2026-12-25T10:00:00Z'))).toBe(false);
    expect(nextOpening(org, central, new Date('2026-12-25T10:00:00Z')).toISOString()).toBe('2026-12-28T07:00:00.000Z');
  });

  it('P1 goes to a desk open now when the local one is closed (the default desk follows the sun)', () => {
    const evening = new Date('2026-12-01T19:00:00Z'); // 20:00 in Paris, 14:00 in Montréal
    expect(route(org, facts({ department: 'Finance', priority: 1 }), evening).desk.id).toBe('paris'); // nothing open: the local desk
    const sunDefault = organisation(DESKS_YML.replace('defaultDesk: central', 'defaultDesk: sun')).org;
    expect(route(sunDefault, facts({ department: 'Finance', priority: 1 }), evening).desk.id).toBe('sun');
    expect(route(sunDefault, facts({ department: 'Finance', category: 'security' }), evening).desk.id).toBe('sun');
    expect(route(sunDefault, facts({ department: 'Finance', priority: 3 }), evening).desk.id).toBe('paris');
  });
});
