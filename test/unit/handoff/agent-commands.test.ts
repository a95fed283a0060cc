import { describe, expect, it } from 'vitest';
import { parseAgentAction, parseAgentCommand } from '../../../src/handoff/agent-commands.ts';

describe('agent commands typed in chat', () => {
  it.each([
    ['my queue', { kind: 'queue' }],
    ['Ma file d’attente', { kind: 'queue' }],
    ['next', { kind: 'next' }],
    ['Suivant', { kind: 'next' }],
    ['ticket #1042', { kind: 'show', number: 1042 }],
    ['voir le ticket n° 1042', { kind: 'show', number: 1042 }],
    ['take #1042', { kind: 'take', number: 1042 }],
    ['prendre 1042', { kind: 'take', number: 1042 }],
    ['note #1042: called her, dock firmware is 01.00.12', { kind: 'note', number: 1042, text: 'called her, dock firmware is 01.00.12' }],
    ['note 1042 : rappeler après 14 h', { kind: 'note', number: 1042, text: 'rappeler après 14 h' }],
    ['reassign #1042 to bruno.petit@example.org', { kind: 'reassign', number: 1042, to: 'bruno.petit@example.org' }],
    ['réassigner 1042 à bruno.petit@example.org', { kind: 'reassign', number: 1042, to: 'bruno.petit@example.org' }],
    ['resolve #1042: replaced the dock', { kind: 'resolve', number: 1042, resolution: 'replaced the dock' }],
    ['Résoudre 1042 : dock remplacé', { kind: 'resolve', number: 1042, resolution: 'dock remplacé' }],
    ['resolve #1042', { kind: 'resolve', number: 1042 }],
    ['escalate #1042 to L2', { kind: 'escalate', number: 1042, level: 2 }],
    ['escalader 1042 niveau 3', { kind: 'escalate', number: 1042, level: 3 }],
    ['priority #1042 P2', { kind: 'priority', number: 1042, impact: 1, urgency: 2 }],
    ['priorité 1042 p5', { kind: 'priority', number: 1042, impact: 3, urgency: 3 }],
    ['hand back #1042', { kind: 'handback', number: 1042 }],
    ['rendre 1042 au bot', { kind: 'handback', number: 1042 }],
    ['add to FAQ #1042', { kind: 'add-faq', number: 1042 }],
    ['available', { kind: 'availability', available: true }],
    ['je suis absent', { kind: 'availability', available: false }],
  ])('"%s"', (text, expected) => {
    expect(parseAgentCommand(text)).toEqual(expected);
  });

  it.each(['my vpn is broken', 'escalate #1042: I have a demo at 2pm', 'note', 'ticket', 'priority #1042 P9', 'take the bus'])('leaves "%s" to others', (text) => {
    expect(parseAgentCommand(text)).toBeUndefined();
  });
});

describe('agent card actions', () => {
  it('validates the data that comes back from a card', () => {
    expect(parseAgentAction({ verb: 'ticket.take', data: { number: '1042' } })).toEqual({ ok: true, command: { kind: 'take', number: 1042 } });
    expect(parseAgentAction({ verb: 'ticket.priority', data: { number: 7, impact: '1', urgency: 3 } })).toEqual({ ok: true, command: { kind: 'priority', number: 7, impact: 1, urgency: 3 } });
    expect(parseAgentAction({ verb: 'ticket.resolve', data: { number: 7, resolution: '  ' } })).toMatchObject({ ok: false, problem: expect.stringContaining('resolution') });
    expect(parseAgentAction({ verb: 'ticket.resolve', data: { number: 7 } })).toEqual({ ok: true, command: { kind: 'resolve', number: 7 } });
    expect(parseAgentAction({ verb: 'ticket.escalate', data: { number: 7, level: 1 } })).toMatchObject({ ok: false });
    expect(parseAgentAction({ verb: 'ticket.take', data: { number: -3 } })).toMatchObject({ ok: false, problem: expect.stringContaining('number') });
    expect(parseAgentAction({ verb: 'choice', data: {} })).toBeUndefined();
  });
});
