import { describe, expect, it } from 'vitest';
import { inboundMessageSchema } from '../../../src/core/messages.ts';
import { maskInbound, warnOfSecrets } from '../../../src/core/secret-guard.ts';
import { SECRET_MASK } from '../../../src/core/secrets.ts';
import { parseState } from '../../../src/core/state.ts';
import { decision } from '../../../src/core/turn/decision.ts';
import type { TurnOutput } from '../../../src/core/turn/types.ts';

const inbound = (fields: Record<string, unknown>) =>
  inboundMessageSchema.parse({ channel: 'web', deliveryId: 'd1', user: { externalId: 'u' }, conversation: { externalId: 'c' }, ...fields });
const turn = (over: Partial<TurnOutput> = {}): TurnOutput => ({
  replies: [{ type: 'text', text: 'answer' }],
  state: parseState({}),
  lang: 'en',
  inboundText: 'x',
  effects: [],
  decision: decision('article', 'test'),
  ...over,
});

describe('maskInbound', () => {
  it('masks the text and the card fields, and says what it saw', () => {
    const { message, secrets } = maskInbound(inbound({ text: 'pwd: Azerty!9', action: { verb: 'ticket.create-form', data: { description: 'token: ghp_16C7e42F292c6912E7710c838347Ae178B4a' } } }));
    expect(message.text).toBe(`pwd: ${SECRET_MASK}`);
    expect(message.action).toEqual({ verb: 'ticket.create-form', data: { description: `token: ${SECRET_MASK}` } });
    expect(secrets.sort()).toEqual(['password', 'token']);
  });

  it('returns the very message when there is nothing to mask', () => {
    const msg = inbound({ text: 'mot de passe oublié' });
    expect(maskInbound(msg)).toEqual({ message: msg, secrets: [], values: [] });
  });
});

describe('warnOfSecrets', () => {
  it('changes nothing without a secret', () => {
    const t = turn();
    expect(warnOfSecrets([], t, parseState({}))).toBe(t);
  });

  it('warns once per conversation, and offers the reset for a password each time', () => {
    const first = warnOfSecrets(['password'], turn(), parseState({}));
    expect(first.replies[0]).toEqual({ type: 'text', text: expect.stringMatching(/^🔒 I masked/) });
    expect(first.replies[1]).toEqual({ type: 'text', text: 'answer' });
    expect(first.replies[2]).toEqual({ type: 'choices', text: expect.stringMatching(/compromised/), choices: [{ label: 'Change my password', value: 'reset my password' }] });
    expect(first.state.secretWarned).toBe(true);
    const again = warnOfSecrets(['password'], turn({ state: first.state }), first.state);
    expect(again.replies.map((r) => r.type)).toEqual(['text', 'choices']);
    expect(again.replies[0]).toEqual({ type: 'text', text: 'answer' });
  });

  it('does not offer the password guide when it is already running, and offers nothing for a code', () => {
    const inGuide = warnOfSecrets(['password'], turn({ decision: decision('flow', 'test', { flow: 'password' }) }), parseState({ secretWarned: true }));
    expect(inGuide.replies).toEqual([{ type: 'text', text: 'answer' }, { type: 'text', text: expect.stringMatching(/compromised/) }]);
    const code = warnOfSecrets(['one-time-code'], turn(), parseState({ secretWarned: true }));
    expect(code.replies).toEqual([{ type: 'text', text: 'answer' }]);
  });
});
