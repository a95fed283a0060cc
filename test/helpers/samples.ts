/**
 * Sample read models for renderer and channel tests: one of every outbound
 * message type, with realistic field values.
 */
import type { OutboundMessage } from '../../src/core/messages.ts';
import type { ContactView, EscalationView, MajorIncidentView, TicketView } from '../../src/core/tickets.ts';

export function sampleTicket(overrides: Partial<TicketView> = {}): TicketView {
  return {
    number: 1042,
    type: 'incident',
    title: 'VPN disconnects every 10 minutes',
    status: 'assigned',
    priority: 3,
    impact: 2,
    urgency: 2,
    category: 'network',
    serviceId: 'vpn',
    requester: { id: 'u-1', displayName: 'Alice Martin' },
    assignee: { id: 'u-2', displayName: 'Bruno Petit' },
    group: { id: 'service-desk', name: 'Service desk', level: 1 },
    responseDueAt: '2026-11-30T10:30:00.000Z',
    resolutionDueAt: '2026-12-01T16:00:00.000Z',
    slaPaused: false,
    responseBreached: false,
    resolutionBreached: false,
    majorIncident: null,
    createdAt: '2026-11-30T08:30:00.000Z',
    updatedAt: '2026-11-30T09:00:00.000Z',
    resolvedAt: null,
    resolution: null,
    ...overrides,
  };
}

export function sampleIncident(overrides: Partial<MajorIncidentView> = {}): MajorIncidentView {
  return {
    number: 7,
    serviceId: 'email',
    title: { fr: 'Messagerie indisponible', en: 'Email unavailable' },
    impact: 'high',
    status: 'open',
    startedAt: '2026-11-30T07:45:00.000Z',
    resolvedAt: null,
    updates: [{ text: { fr: 'Le fournisseur a identifié la cause.', en: 'The provider found the cause.' }, at: '2026-11-30T08:15:00.000Z' }],
    ...overrides,
  };
}

export function sampleContact(overrides: Partial<ContactView> = {}): ContactView {
  return {
    user: { id: 'u-1', displayName: 'Alice Martin', email: 'alice.martin@example.org', department: 'Finance', jobTitle: 'Accountant', vip: false, locale: 'fr' },
    assets: [{ tag: 'LT-004211', kind: 'laptop', name: 'Dell Latitude 5440', status: 'in-use' }],
    services: ['vpn', 'email'],
    openTickets: [{ number: 1042, title: 'VPN disconnects every 10 minutes', status: 'assigned', priority: 3 }],
    recentTickets: [{ number: 990, title: 'Printer jam', status: 'closed', priority: 4 }],
    ...overrides,
  };
}

export function sampleEscalation(overrides: Partial<EscalationView> = {}): EscalationView {
  return {
    ticket: sampleTicket({ status: 'new', assignee: null }),
    contact: sampleContact(),
    diagnosisMarkdown: '- **VPN client**: GlobalProtect 6.2\n- Article *KE-0007* shown: not helpful',
    suggestedKnownErrors: [{ id: 'KE-0007', title: 'VPN drops after sleep' }],
    relay: 'queued',
    actions: [
      { label: 'Take', verb: 'ticket.take', data: { number: 1042 }, style: 'primary' },
      { label: 'Resolve', verb: 'ticket.resolve', data: { number: 1042 } },
    ],
    ...overrides,
  };
}

/** One message of every outbound type: a renderer test iterates over it (a new type fails to compile until added). */
export function sampleMessages(): { [T in OutboundMessage['type']]: Extract<OutboundMessage, { type: T }> } {
  return {
    text: { type: 'text', text: 'a' },
    markdown: { type: 'markdown', markdown: 'b' },
    choices: { type: 'choices', text: 'c', choices: [] },
    article: { type: 'article', article: { id: 'X', lang: 'en', type: 'faq', title: 't', markdown: 'm', services: [] }, confidence: 1 },
    ticket: { type: 'ticket', ticket: sampleTicket(), lang: 'en' },
    tickets: { type: 'tickets', title: 'Your tickets', tickets: [sampleTicket()], lang: 'en' },
    incident: { type: 'incident', incident: sampleIncident(), lang: 'fr' },
    escalation: { type: 'escalation', escalation: sampleEscalation(), lang: 'en' },
    survey: { type: 'survey', ticketNumber: 1042, question: 'How satisfied are you?', lang: 'en' },
  };
}
