/**
 * Notices that respect attention, alone: an urgent notice goes at once even in quiet hours; a digest
 * keeps the buttons of the notices that need an action (each value once); outage questions as the
 * router reads them (« le vpn est en panne ? » asks, « le vpn est en panne » reports); with stored
 * windows, a restarted instance and another one hold a person's next notice as the first would.
 */
import { describe, expect, it } from 'vitest';
import type { OutboundMessage } from '../../../src/core/messages.ts';
import { asksAboutOutage } from '../../../src/core/turn/scope.ts';
import { fold } from '../../../src/core/commands.ts';
import { Notices, type NoticeDeps } from '../../../src/ticketing/notices.ts';
import type { NoticeWindow } from '../../../src/ticketing/ports.ts';
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

/** Instances of Notices on one stored state (the IncidentNoticeWindow rows and the held notices, as PrismaIncidentStore keeps them). */
function stored(quiet: boolean) {
  const clock = new FakeClock(new Date(quiet ? '2026-11-23T21:30:00Z' : '2026-11-23T10:00:00Z'));
  const rows = new Map<string, NoticeWindow>();
  const held: { userId: string; due: Date; text: string }[] = [];
  const sent: { userId: string; text: string }[] = [];
  const windows: NonNullable<NoticeDeps['windows']> = {
    get: async (userId) => ({ ...rows.get(userId) }),
    told: async (userId, at) => void rows.set(userId, { ...rows.get(userId), toldAt: at }),
  };
  const instance = () =>
    new Notices({
      clock, windows, digestSeconds: 60, timeZone: () => 'Europe/Paris', ...(quiet ? { quietHours: { from: '20:00', to: '07:30' } } : {}),
      send: async (userId, build) => void sent.push({ userId, text: (build('en')[0] as { text: string }).text }),
      hold: async (userId, notice, due) => {
        held.push({ userId, due, text: notice.build('en').text });
        rows.set(userId, { ...rows.get(userId), heldUntil: due });
      },
    });
  const notice = (text: string, urgent = false) => ({ urgent, data: { text }, build: () => ({ text }) });
  return { clock, held, sent, instance, notice };
}

describe('notices with stored windows', () => {
  it('hold the next notice after a restart and on another instance, as the first instance would', async () => {
    const { clock, held, sent, instance, notice } = stored(false);
    const start = clock.now().getTime();
    await instance().post('ana', notice('declared', true), 'k1');
    expect(sent).toEqual([{ userId: 'ana', text: 'declared' }]);
    // Restarted 10 s later: within the 60 s window, held until its end.
    clock.advance(10_000);
    await instance().post('ana', notice('update'), 'k2');
    // Another instance, 10 s later still: an urgent one joins the notices waiting, at the same time.
    clock.advance(10_000);
    await instance().post('ana', notice('worse', true), 'k3');
    expect(sent).toHaveLength(1);
    expect(held.map((h) => [h.text, h.due.getTime() - start])).toEqual([['update', 60_000], ['worse', 60_000]]);
    // Their digest was due at 60 s: the window runs from then, so a notice at 90 s waits until 120 s.
    clock.advance(70_000);
    await instance().post('ana', notice('restored'), 'k4');
    expect(held.at(-1)).toMatchObject({ text: 'restored' });
    expect(held.at(-1)!.due.getTime() - start).toBe(120_000);
    // Long after: at once again.
    clock.advance(600_000);
    await instance().post('ana', notice('new one'), 'k5');
    expect(sent.at(-1)).toEqual({ userId: 'ana', text: 'new one' });
  });

  it('bring a digest held for quiet hours forward to the window\'s end when an urgent notice comes, on any instance', async () => {
    const { clock, held, sent, instance, notice } = stored(true); // 22:30 in Paris
    await instance().post('ben', notice('update'), 'k1');
    expect(held[0]!.due.toISOString()).toBe('2026-11-24T06:30:00.000Z'); // 07:30 in Paris
    clock.advance(60_000);
    await instance().post('ben', notice('outage', true), 'k2');
    // Never told: the window has ended, the urgent notice and the one waiting go now, as one digest job.
    expect(sent).toEqual([]);
    expect(held[1]!.due.getTime()).toBe(clock.now().getTime());
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
