/**
 * Notices that respect attention, alone: an urgent notice goes at once even in quiet hours; a digest
 * keeps the buttons of the notices that need an action (each value once); outage questions as the
 * router reads them (« le vpn est en panne ? » asks, « le vpn est en panne » reports).
 */
import { describe, expect, it } from 'vitest';
import type { OutboundMessage } from '../../../src/core/messages.ts';
import { asksAboutOutage } from '../../../src/core/turn/scope.ts';
import { fold } from '../../../src/core/commands.ts';
import { Notices } from '../../../src/ticketing/notices.ts';
import { FakeClock } from '../../helpers/fake-channel.ts';

function notices(quiet = true) {
  const clock = new FakeClock(new Date('2026-11-23T21:30:00Z')); // 22:30 in Paris
  const sent: { userId: string; messages: OutboundMessage[] }[] = [];
  const box = new Notices({ clock, send: async (userId, build) => void sent.push({ userId, messages: build('en') }), digestSeconds: 60, ...(quiet ? { quietHours: { from: '20:00', to: '07:30' } } : {}), timeZone: () => 'Europe/Paris' });
  return { clock, sent, box };
}

describe('notices', () => {
  it('send an urgent one at once in quiet hours and hold the others until morning', async () => {
    const { box, sent, clock } = notices();
    await box.post('ana', { urgent: false, build: () => ({ text: 'update' }) });
    expect(sent).toEqual([]);
    await box.post('ben', { urgent: true, build: () => ({ text: 'outage' }) });
    expect(sent).toEqual([{ userId: 'ben', messages: [{ type: 'text', text: 'outage' }] }]);
    clock.advance(8 * 3_600_000); // 06:30 in Paris: still quiet
    expect(await box.flushDue()).toBe(0);
    clock.advance(3_600_000);
    expect(await box.flushDue()).toBe(1);
    expect(sent.at(-1)).toEqual({ userId: 'ana', messages: [{ type: 'text', text: 'update' }] });
  });

  it('group a burst into one message that keeps each button once', async () => {
    const { box, sent, clock } = notices(false);
    const ask = { label: 'Yes', value: 'incident 1 works' };
    await box.post('ana', { urgent: true, build: () => ({ text: 'first' }) });
    await box.post('ana', { urgent: false, build: () => ({ text: 'restored?', choices: [ask] }) });
    await box.post('ana', { urgent: false, build: () => ({ text: 'again?', choices: [ask] }) });
    expect(sent).toHaveLength(1);
    clock.advance(60_000);
    await box.flushDue();
    expect(sent[1]).toEqual({ userId: 'ana', messages: [{ type: 'choices', text: '📬 2 updates:\n• restored?\n• again?', choices: [ask] }] });
  });
});

describe('outage questions', () => {
  it('« le vpn est en panne ? » asks; « le vpn est en panne » reports a problem', () => {
    expect(asksAboutOutage(fold('le vpn est en panne ?'))).toBe(true);
    expect(asksAboutOutage(fold('Le VPN est en panne?'))).toBe(true);
    expect(asksAboutOutage(fold('is email down for everyone?'))).toBe(true);
    expect(asksAboutOutage(fold('le vpn est en panne'))).toBe(false);
  });
});
