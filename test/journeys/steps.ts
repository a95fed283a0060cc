/** Steps many journeys start with: asking for a person, then an agent taking the ticket. */
import type { Step } from './journey.ts';

/** The requester asks for a person: a ticket, queued for the service desk. */
export const askForPerson = (words = 'je veux parler à un humain'): Step => ({ user: words, reply: /#\d+/, ticket: { relay: 'queued' } });

/** The requester waits for a person, then Bruno takes the ticket from its card's thread. */
export const liveWithBruno = (words?: string): Step[] => [
  askForPerson(words),
  { agent: 'prendre {n}', reply: /#{n}/, told: /Bruno Petit/, ticket: { relay: 'live', assignee: 'Bruno Petit' } },
];
