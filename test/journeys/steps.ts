/** Steps many journeys start with: asking for a person, then an agent taking the ticket. */
import type { Step } from './journey.ts';

/** The requester asks for a person: a ticket, queued for the service desk. */
export const askForPerson = (words = 'je veux parler à un humain'): Step => ({ user: words, reply: /#\d+/, ticket: { relay: 'queued' } });

/** The requester waits for a person, then Bruno takes the ticket from its card's thread. */
export const liveWithBruno = (words?: string): Step[] => [
  askForPerson(words),
  { agent: 'prendre {n}', reply: /#{n}/, told: /Bruno Petit/, ticket: { relay: 'live', assignee: 'Bruno Petit' } },
];

/** Bruno resolves the journey's ticket from its card's thread; the requester is asked whether it is fixed. */
export const resolvedByBruno = (lang: 'fr' | 'en' = 'fr'): Step[] => [
  ...liveWithBruno(lang === 'en' ? 'I want to talk to a human' : undefined),
  { agent: 'résoudre {n} : service Outlook redémarré', reply: /#{n}/, told: lang === 'en' ? /Is the problem fixed\?|fixed/ : /Le problème est-il réglé \?/, ticket: { status: 'resolved', relay: 'bot' } },
];
