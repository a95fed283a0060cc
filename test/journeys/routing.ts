/** Routing journeys: two problems in one message, hand-back to the bot. */
import type { Journey } from './journey.ts';
import { liveWithBruno } from './steps.ts';

export const routingJourneys: Journey[] = [
  {
    name: 'two problems in one message: the first guide starts and the second is named',
    steps: [{ user: 'mon VPN ne se connecte pas et mon imprimante n’imprime plus', reply: /VPN|imprimante/ }],
  },
  {
    name: 'handed back to the bot: greetings and questions are Guichet’s again, nothing reaches the thread',
    steps: [
      ...liveWithBruno(),
      { agent: 'rendre {n}', told: /Guichet/, ticket: { relay: 'bot' } },
      { user: 'bonjour', reply: /Bonjour/, noThread: true },
      { user: 'statut #{n}', reply: /#{n}/, noThread: true },
    ],
  },
  {
    name: 'resolved from the thread: the relay stops, the requester’s next words are the bot’s',
    steps: [
      ...liveWithBruno(),
      { agent: 'résoudre {n} : mot de passe réinitialisé', ticket: { status: 'resolved', relay: 'bot' } },
      { user: 'mes tickets', noThread: true },
    ],
  },
];
