/** Commands while waiting for an agent: answered, never added to the ticket; free words are queued for whoever takes it. */
import type { Journey } from './journey.ts';
import { askForPerson } from './steps.ts';

export const waitingJourneys: Journey[] = [
  {
    name: '« mes tickets » while waiting lists the tickets, and is not added to the ticket',
    steps: [askForPerson(), { user: 'mes tickets', reply: /#{n}/, notReply: /Ajouté au ticket/, noThread: true, noEvents: /mes tickets/ }],
  },
  {
    name: '« statut #N » while waiting shows the ticket',
    steps: [askForPerson(), { user: 'statut #{n}', reply: /#{n}/, notReply: /Ajouté au ticket/, noEvents: /statut/ }],
  },
  {
    name: '« aide » while waiting is answered',
    steps: [askForPerson(), { user: 'aide', reply: /Ce que je sais faire/, noEvents: /"aide"/ }],
  },
  {
    name: '« annuler » while waiting stops waiting; the ticket stays open, and the next words go to the bot',
    steps: [
      askForPerson(),
      { user: 'annuler', reply: /n’attendez plus/, ticket: { relay: 'bot', status: 'new' }, noEvents: /annuler/ },
      { user: 'mes tickets', reply: /#{n}/ },
    ],
  },
  {
    name: '« english » while waiting switches the language; the next words are still queued',
    steps: [
      askForPerson(),
      { user: 'english', reply: /English/, noEvents: /english/ },
      { user: 'The screen went black again', reply: /Added to ticket #{n}/, events: /The screen went black again/ },
    ],
  },
  {
    name: '« humain » again while waiting says a person is already asked for',
    steps: [askForPerson(), { user: 'humain', reply: /déjà un technicien.*#{n}/, ticket: { relay: 'queued' }, noEvents: /humain/ }],
  },
  {
    name: 'free words while waiting are queued, then shown to the agent who takes the ticket',
    steps: [
      askForPerson(),
      { user: 'Outlook plante à l’ouverture depuis ce matin', reply: /Ajouté au ticket #{n}/, events: /Outlook plante/ },
      { agent: 'prendre {n}', reply: /Outlook plante à l’ouverture/, ticket: { relay: 'live' } },
      { user: 'vous êtes là ?', silent: true, thread: /vous êtes là \?/ },
    ],
  },
  {
    name: '« bonjour » and « merci » while waiting are answered by Guichet, not queued',
    steps: [askForPerson(), { user: 'bonjour', reply: /Bonjour/, noThread: true }, { user: 'merci', reply: /plaisir/, noEvents: /merci/ }],
  },
  {
    name: 'an English requester waiting: « my tickets » and « status #N »',
    lang: 'en',
    steps: [askForPerson('I want to talk to a human'), { user: 'my tickets', reply: /#{n}/, notReply: /Added to ticket/ }, { user: 'status #{n}', reply: /#{n}/, notReply: /Added to ticket/, noEvents: /status/ }],
  },
];
