/** A requester escalates: a deadline or blocking words raise the urgency (hence the priority), never reset status or assignee. */
import type { Journey, Step } from './journey.ts';
import { liveWithBruno } from './steps.ts';

/** Bruno has the ticket, then hands the conversation back: the ticket stays his, in progress. */
const assignedToBruno: Step[] = [...liveWithBruno(), { agent: 'rendre {n}', ticket: { relay: 'bot', assignee: 'Bruno Petit' } }];

export const escalationJourneys: Journey[] = [
  {
    name: 'escalation with a deadline in one message: priority up, status and assignee kept',
    steps: [
      ...assignedToBruno,
      { user: 'escalader #{n} : client demain 9h, c’est bloquant', reply: /escaladé/, ticket: { assignee: 'Bruno Petit', urgency: 1, priority: 3 }, events: /escalated/ },
      { user: 'statut #{n}', reply: /#{n}/ },
    ],
  },
  {
    name: 'escalation with the reason asked: « client demain 9h, c’est bloquant »',
    steps: [
      ...assignedToBruno,
      { user: 'escalader #{n}', reply: /Pourquoi/ },
      { user: 'client demain 9h, c’est bloquant', reply: /escaladé/, ticket: { assignee: 'Bruno Petit', urgency: 1, priority: 3 } },
    ],
  },
  {
    name: 'escalation without urgency words: priority unchanged, status and assignee kept',
    steps: [...assignedToBruno, { user: 'escalader #{n} : ça fait longtemps', reply: /escaladé/, ticket: { assignee: 'Bruno Petit', priority: 4 } }],
  },
  {
    name: 'an English escalation with a meeting soon',
    lang: 'en',
    steps: [
      ...liveWithBruno('I want to talk to a human'),
      { agent: 'rendre {n}', ticket: { relay: 'bot' } },
      { user: 'escalate #{n}: board meeting in 30 minutes, I am blocked', reply: /escalated/, ticket: { assignee: 'Bruno Petit', urgency: 1, priority: 3 } },
    ],
  },
];
