/**
 * Human handoff without a database: the in-memory HandoffStore and the real desk on memory. Relay
 * states (bot → queued → live → bot), the server-side check that only agents of the ticket's group
 * act, a card thread's reply relayed to the requester, and the hand-back.
 */
import { OutboundChannels } from '../../../src/core/channel-contract.ts';
import { beforeEach, describe, expect, it } from 'vitest';
import { GuichetError } from '../../../src/core/errors.ts';
import type { OutboundMessage } from '../../../src/core/messages.ts';
import type { UserRecord } from '../../../src/core/ports.ts';
import type { TicketView } from '../../../src/core/tickets.ts';
import { Handoff } from '../../../src/handoff/handoff.ts';
import { MemoryHandoffStore } from '../../../src/handoff/memory-store.ts';
import { say } from '../../../src/texts/index.ts';
import { RecordingNotifier } from '../../helpers/recording-notifier.ts';
import { RecordingPoster } from '../../helpers/recording-poster.ts';
import { memoryTicketDesk } from '../../helpers/memory-ticket-desk.ts';
import { recordingAgentDesk, type Recorded } from './recording-agent-desk.ts';

const NETWORK = { id: 'network', name: 'Réseau', level: 1 };
const person = (id: string, role: UserRecord['role']): UserRecord => ({ id, displayName: id.replace(/^./, (c) => c.toUpperCase()), role, locale: 'fr' });
const alice = person('alice', 'employee');
const nadia = person('nadia', 'agent'); // in the network group
const paul = person('paul', 'agent'); // in another group
const claire = person('claire', 'admin');
const as = (user: UserRecord) => ({ user, lang: 'fr' as const });
const texts = (replies: OutboundMessage[] | undefined) => (replies ?? []).flatMap((r) => (r.type === 'text' ? [r.text] : []));

let desk: ReturnType<typeof memoryTicketDesk>['desk'];
let done: Recorded[];
let store: MemoryHandoffStore;
let poster: RecordingPoster;
let notifier: RecordingNotifier;
let handoff: Handoff;
let ticket: TicketView;

beforeEach(async () => {
  const memory = memoryTicketDesk({ defaultGroupId: 'network' });
  for (const p of [alice, nadia, paul, claire]) memory.repository.addPerson({ id: p.id, displayName: p.displayName, role: p.role });
  memory.repository.addGroup({ id: 'network', name: 'Réseau', level: 1 }, [{ userId: 'nadia' }]);
  memory.repository.addGroup({ id: 'workplace', name: 'Poste de travail', level: 1 }, [{ userId: 'paul' }]);
  ({ desk, done } = recordingAgentDesk(memory.desk));
  store = new MemoryHandoffStore(async (number) => (await memory.desk.view(number, { id: 'system', role: 'admin' }))?.status);
  poster = new RecordingPoster('teams', (_address, index) => `card-${index}`);
  notifier = new RecordingNotifier();
  handoff = new Handoff({ desk, store, channels: new OutboundChannels([{ poster, threadKeyOf: (post) => `teams|tenant|${String(post)}` }]), notifier, lang: 'fr' });
  store.addGroup('network', ['nadia'], [{ platform: 'teams', address: { channelId: 'reseau' } }]);
  store.addGroup('workplace', ['paul']);
  ({ ticket } = await desk.create({ type: 'incident', title: 'VPN en panne', description: 'VPN en panne', category: 'vpn', impact: 2, urgency: 2, requesterId: 'alice', createdBy: { id: 'alice', kind: 'user' } }));
  expect(ticket.group).toMatchObject(NETWORK);
  store.linkConversation(ticket.number, 'conv-alice');
  store.nameConversation('conv-thread', 'teams|tenant|card-1');
});

describe('relay states', () => {
  it('goes bot → queued (asked for a person) → live (taken) → bot (handed back)', async () => {
    expect(await store.relayOf(ticket.number)).toBe('bot');
    const { availableAgents } = await handoff.escalate(ticket.number, { live: true });
    expect(availableAgents).toBe(1);
    expect(await store.relayOf(ticket.number)).toBe('queued');

    expect(texts(await handoff.act(as(nadia), { kind: 'take', number: ticket.number }, 'teams:1'))[0]).toBe(say('fr', 'handoff.taken', { number: ticket.number, user: 'Alice' }));
    expect(await store.relayOf(ticket.number)).toBe('live');
    expect(notifier.textsFor('alice')[0]).toBe(say('fr', 'handoff.agentJoined', { agent: 'Nadia', number: ticket.number }));

    expect(texts(await handoff.act(as(nadia), { kind: 'handback', number: ticket.number }, 'teams:2'))).toEqual([say('fr', 'handoff.handedBack', { number: ticket.number })]);
    expect(await store.relayOf(ticket.number)).toBe('bot');
  });

  it('posts the card once per platform, even when escalated twice, and refreshes it in place after an action', async () => {
    await handoff.escalate(ticket.number, { live: false });
    await handoff.escalate(ticket.number, { live: true });
    expect(poster.posted.filter((p) => p.kind === 'post')).toHaveLength(1);
    expect(await handoff.isEscalationThread('teams|tenant|card-1')).toBe(true);
    await handoff.act(as(nadia), { kind: 'take', number: ticket.number }, 'teams:1');
    const updates = poster.posted.filter((p) => p.kind === 'update');
    expect(updates).toHaveLength(1);
    const card = updates[0]!.messages[0]!;
    expect(card.type === 'escalation' && card.escalation.relay).toBe('live');
  });

  it('keeps what the requester writes on the ticket while queued, and sends it to the thread once live', async () => {
    await handoff.escalate(ticket.number, { live: true });
    expect(texts(await handoff.fromRequester(as(alice), 'conv-alice', 'toujours en panne', 'web:1'))).toEqual([say('fr', 'handoff.queuedMessage', { number: ticket.number })]);
    const taken = texts(await handoff.act(as(nadia), { kind: 'take', number: ticket.number }, 'teams:1'));
    expect(taken[1]).toMatch(/^- .*toujours en panne$/m);

    expect(await handoff.fromRequester(as(alice), 'conv-alice', 'merci', 'web:2')).toEqual([]);
    const reply = poster.posted.find((p) => p.kind === 'reply')!;
    expect(reply.post).toBe('card-1');
    expect(texts(reply.messages)).toEqual([say('fr', 'handoff.userSays', { user: 'Alice', text: 'merci' })]);
  });
});

describe('who may act', () => {
  it('refuses agents of another group and employees, on the server, and lets admins act', async () => {
    expect(texts(await handoff.act(as(paul), { kind: 'take', number: ticket.number }, 'slack:1'))).toEqual([say('fr', 'handoff.notMember', { group: 'Réseau', number: ticket.number })]);
    expect(texts(await handoff.act(as(alice), { kind: 'take', number: ticket.number }, 'web:1'))).toEqual([say('fr', 'handoff.agentsOnly')]);
    expect(done.filter((d) => d.verb === 'take')).toEqual([]);
    expect(texts(await handoff.act(as(claire), { kind: 'note', number: ticket.number, text: 'vu' }, 'web:2'))).toEqual([say('fr', 'handoff.noteAdded', { number: ticket.number })]);
  });

  it('turns a desk refusal into the agent’s reply instead of a crash', async () => {
    expect(texts(await handoff.act(as(claire), { kind: 'take', number: 9_999 }, 'web:1'))).toEqual([say('fr', 'handoff.unknownTicket', { number: 9_999 })]);
    desk.setPriority = async () => {
      throw new GuichetError('ticketing.invalid', 'ticketing: impact 9 is not 1, 2 or 3');
    };
    // In the agent's language, never the developer's English message (kept for the logs).
    expect(texts(await handoff.act(as(nadia), { kind: 'priority', number: ticket.number, impact: 1, urgency: 1 }, 'teams:1'))).toEqual([say('fr', 'core.refusedInvalid')]);
  });
});

describe("a card's thread", () => {
  beforeEach(async () => {
    await handoff.escalate(ticket.number, { live: true });
  });

  it('relays the assignee’s reply to the requester while live', async () => {
    await handoff.act(as(nadia), { kind: 'take', number: ticket.number }, 'teams:1');
    expect(await handoff.fromThread(as(nadia), 'conv-thread', 'Redémarrez le poste', 'teams:2')).toEqual([]);
    expect(done.at(-1)).toEqual({ verb: 'reply', number: ticket.number, by: 'nadia', text: 'Redémarrez le poste' });
  });

  it('keeps anyone else’s words as an internal note, and tells them to take the ticket first', async () => {
    expect(texts(await handoff.fromThread(as(nadia), 'conv-thread', 'je regarde', 'teams:1'))).toEqual([say('fr', 'handoff.takeFirst', { number: ticket.number })]);
    expect(done.at(-1)).toMatchObject({ verb: 'note', text: 'je regarde' });
    expect(texts(await handoff.fromThread(as(paul), 'conv-thread', 'moi aussi', 'teams:2'))).toEqual([say('fr', 'handoff.notMember', { group: 'Réseau', number: ticket.number })]);
  });

  it('is no thread of a card for other conversations', async () => {
    expect(await handoff.fromThread(as(nadia), 'conv-elsewhere', 'bonjour', 'teams:1')).toBeUndefined();
  });
});

describe('hand-back', () => {
  it('tells the requester they talk to the bot again, and stops relaying their messages', async () => {
    await handoff.escalate(ticket.number, { live: true });
    await handoff.act(as(nadia), { kind: 'take', number: ticket.number }, 'teams:1');
    await handoff.act(as(nadia), { kind: 'handback', number: ticket.number }, 'teams:2');
    expect(notifier.textsFor('alice').at(-1)).toBe(say('fr', 'handoff.backToBot', { agent: 'Nadia', number: ticket.number }));
    expect(done.at(-1)).toMatchObject({ verb: 'ticket.handback', number: ticket.number });
    expect(await handoff.fromRequester(as(alice), 'conv-alice', 'encore moi', 'web:3')).toBeUndefined();
    expect(texts(await handoff.act(as(nadia), { kind: 'handback', number: ticket.number }, 'teams:3'))).toEqual([say('fr', 'handoff.notLive', { number: ticket.number })]);
  });
});
