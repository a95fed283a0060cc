/**
 * The form-intake turn module through the core's handleTurn (in-memory stores): a channel's ticket
 * form (`ticket.create-form`) and home surface (`home.open`) as core actions.
 */
import { describe, expect, it } from 'vitest';
import { handleTurn } from '../../../src/core/handle-turn.ts';
import type { InboundMessage } from '../../../src/core/messages.ts';
import type { NewTicket, TicketView } from '../../../src/core/tickets.ts';
import { createFormIntakeModule } from '../../../src/ticketing/form-intake.ts';
import { memoryDeps } from '../../helpers/fake-channel.ts';
import { memoryTicketDesk } from '../../helpers/memory-ticket-desk.ts';
import { sampleTicket } from '../../helpers/samples.ts';

const SERVICES = [{ id: 'vpn', name: { fr: 'VPN', en: 'VPN' }, group: 'network', criticality: 'high' as const, keywords: { fr: ['vpn'], en: ['vpn'] } }];
const FORM = { service: 'vpn', impact: 2, urgency: 1, title: 'VPN down', description: 'The VPN drops every ten minutes.' };

function setup(lists: { mine?: TicketView[]; queue?: TicketView[] } = {}) {
  const memory = memoryTicketDesk({ anyoneIsKnown: true });
  memory.repository.addService({ id: 'vpn' });
  // The real desk on memory; what each created ticket was asked with is kept for the assertions.
  const tickets: { input: NewTicket; number: number }[] = [];
  const create = async (input: NewTicket) => {
    const made = await memory.desk.create(input);
    if (made.created) tickets.push({ input, number: made.ticket.number });
    return made;
  };
  const desk = { create, listForRequester: async () => lists.mine ?? [], queueFor: async () => lists.queue ?? [], tickets };
  const deps = memoryDeps({ modules: [createFormIntakeModule({ desk, services: SERVICES, timeZoneOf: () => 'Europe/Paris' })] });
  const send = (deliveryId: string, verb: string, data: Record<string, unknown>, lang: 'fr' | 'en' = 'en') => {
    const message: InboundMessage = { channel: 'slack', deliveryId, tenantId: 'T1', user: { externalId: 'U1' }, conversation: { externalId: 'D1' }, lang, action: { verb, data } };
    return handleTurn(deps, message);
  };
  return { desk, deps, send };
}

describe('ticket.open-form', () => {
  it('answers with the form’s introduction in the user’s language, creating nothing', async () => {
    const { desk, send } = setup();
    const result = await send('modal:1', 'ticket.open-form', {}, 'fr');
    expect(result.lang).toBe('fr');
    expect(result.replies).toEqual([{ type: 'text', text: 'Décrivez votre problème ou votre demande : un technicien du support le prendra en charge.' }]);
    expect(desk.tickets).toEqual([]);
  });
});

describe('ticket.create-form', () => {
  it('creates one incident per delivery from the form, answered with its card', async () => {
    const { desk, send } = setup();
    const first = await send('view:V1', 'ticket.create-form', FORM);
    expect(desk.tickets).toHaveLength(1);
    expect(desk.tickets[0]!.input).toMatchObject({ type: 'incident', title: 'VPN down', category: 'vpn', serviceId: 'vpn', impact: 2, urgency: 1, origin: 'slack:view:V1', createdBy: { kind: 'user' } });
    expect(first.replies).toEqual([{ type: 'ticket', ticket: expect.objectContaining({ number: desk.tickets[0]!.number }), lang: 'en', timeZone: 'Europe/Paris' }]);
    const again = await send('view:V1', 'ticket.create-form', FORM);
    expect(again.duplicate).toBe(true);
    expect(desk.tickets).toHaveLength(1);
  });

  it('picks the type as the chat intake does: words asking for something make a request', async () => {
    const { desk, send } = setup();
    await send('view:V2', 'ticket.create-form', { ...FORM, title: 'Nouvel écran', description: 'J’ai besoin d’un nouvel écran pour mon poste.' }, 'fr');
    expect(desk.tickets[0]!.input.type).toBe('request');
  });

  it.each([
    [{ ...FORM, service: 'payroll' }, 'Pick the category of the problem.'],
    [{ ...FORM, impact: 7 }, 'Say who is affected.'],
    [{ ...FORM, title: 'ab' }, 'The title needs 3 characters at least.'],
    [{ ...FORM, description: 'x'.repeat(3_001) }, 'The description must be 3,000 characters at most.'],
  ])('refuses a form that does not hold, saying what is wrong, and creates nothing (%#)', async (form, said) => {
    const { desk, send } = setup();
    const result = await send('view:V3', 'ticket.create-form', form);
    expect(result.replies).toEqual([{ type: 'text', text: said }]);
    expect(desk.tickets).toEqual([]);
  });
});

describe('home.open', () => {
  it('lists an employee’s tickets in progress, and says so when there are none', async () => {
    const mine = [sampleTicket({ number: 7 })];
    const listed = await setup({ mine }).send('Ev1', 'home.open', {}, 'fr');
    expect(listed.replies).toEqual([{ type: 'tickets', title: 'Mes tickets en cours', tickets: mine, lang: 'fr', timeZone: 'Europe/Paris' }]);
    const empty = await setup().send('Ev2', 'home.open', {});
    expect(empty.replies.map((r) => (r.type === 'text' ? r.text : r.type === 'tickets' ? r.title : r.type))).toEqual(['My open tickets', 'You have no open tickets.']);
  });

  it('adds an agent’s queue with its count', async () => {
    const { deps, send } = setup({ queue: [sampleTicket({ number: 8 }), sampleTicket({ number: 9 })] });
    // The user is an agent (the memory directory makes employees).
    const original = deps.users.identify.bind(deps.users);
    deps.users.identify = async (...args) => ({ ...(await original(...args)), role: 'agent' });
    const result = await send('Ev3', 'home.open', {});
    expect(result.replies.map((r) => (r.type === 'text' ? r.text : r.type === 'tickets' ? r.title : r.type))).toEqual(['My open tickets', 'You have no open tickets.', 'My ticket queue (2)']);
  });
});
