/**
 * Major incidents on the real desk over the in-memory repository: declaring links the open reports
 * of the service and tells their requesters; resolving resolves them (their requesters confirm as
 * usual); the suggestion to declare one is made once per window.
 */
import { describe, expect, it } from 'vitest';
import { alice, bob, deskFixture, MINUTE, nadia } from './desk-fixture.ts';

describe('a major incident', () => {
  it('links the open reports of its service, and resolving it resolves them', async () => {
    const { desk, majorIncidents, notifier, repository, open } = deskFixture();
    const first = await open('web:a');
    const second = await open('web:b', { requesterId: 'bob' });
    const declared = await majorIncidents.declare(nadia, { serviceId: 'vpn', title: { fr: 'VPN indisponible', en: 'VPN down' }, impact: 'high' });
    expect((await desk.view(first.number, alice))?.majorIncident).toEqual({ number: declared.number, title: { fr: 'VPN indisponible', en: 'VPN down' } });
    expect(notifier.textsFor('bob').join('\n')).toContain('⚠️ vpn: VPN down. We’re on it, no need to open a ticket');
    await majorIncidents.resolve(nadia, declared.number, { fr: 'Passerelle redémarrée', en: 'Gateway restarted' });
    for (const n of [first.number, second.number]) expect((await repository.find(n))?.status).toBe('resolved');
    expect((await desk.view(second.number, bob))?.resolution).toBe('Passerelle redémarrée / Gateway restarted');
    await expect(majorIncidents.resolve(nadia, declared.number, { fr: 'x', en: 'x' })).rejects.toMatchObject({ code: 'ticketing.illegal-transition' });
  });

  it('is declared by staff only, on a known service', async () => {
    const { majorIncidents } = deskFixture();
    await expect(majorIncidents.declare(alice, { serviceId: 'vpn', title: { fr: 'a', en: 'a' }, impact: 'high' })).rejects.toMatchObject({ code: 'ticketing.forbidden' });
    await expect(majorIncidents.declare(nadia, { serviceId: 'mail', title: { fr: 'a', en: 'a' }, impact: 'high' })).rejects.toMatchObject({ code: 'ticketing.invalid' });
  });

  it('is suggested to the group’s manager after 3 reports within 30 minutes, once per window', async () => {
    const { majorIncidents, notifier, clock, open } = deskFixture();
    await open('web:1');
    await open('web:2', { requesterId: 'bob' });
    expect(await majorIncidents.checkSuggestion('vpn')).toBe(false);
    clock.advance(10 * MINUTE);
    await open('web:3');
    expect(await majorIncidents.checkSuggestion('vpn')).toBe(true);
    expect(notifier.textsFor('marc').at(-1)).toContain('📈 3 signalements sur « vpn » en 30 min');
    expect(await majorIncidents.checkSuggestion('vpn')).toBe(false);
  });
});
