/**
 * The journeys played again through the real channel adapters (Slack, Teams, web chat): relay both
 * ways whatever the words, commands while waiting for an agent, a hand-back to the bot.
 */
import type { Journey } from './journey.ts';
import { askForPerson, liveWithBruno } from './steps.ts';

export const adapterSubset: Journey[] = [
  {
    name: 'the agent’s « Bonjour, je regarde votre écran… » reaches the requester, not Guichet’s greeting',
    steps: [...liveWithBruno(), { agent: 'Bonjour, je regarde votre écran…', silent: true, told: /je regarde votre écran/, noThread: true }],
  },
  {
    name: 'the agent’s « merci » and « mes tickets » reach the requester',
    steps: [...liveWithBruno(), { agent: 'merci', silent: true, told: /merci/ }, { agent: 'mes tickets', silent: true, told: /mes tickets/ }],
  },
  {
    name: 'the requester’s « bonjour », « ok » and question reach the card’s thread',
    steps: [
      ...liveWithBruno(),
      { user: 'bonjour', silent: true, thread: /bonjour/ },
      { user: 'ok', silent: true, thread: /ok/ },
      { user: 'comment je fais pour redémarrer ?', silent: true, thread: /redémarrer/ },
    ],
  },
  {
    name: 'while waiting: « mes tickets », « statut #N » and « aide » are answered, not added to the ticket',
    steps: [
      askForPerson(),
      { user: 'mes tickets', reply: /#{n}/, notReply: /Ajouté au ticket/, noEvents: /mes tickets/ },
      { user: 'statut #{n}', reply: /#{n}/, notReply: /Ajouté au ticket/ },
      { user: 'aide', reply: /Ce que je sais faire/, noEvents: /aide/ },
    ],
  },
  {
    name: 'while waiting: « annuler » stops waiting, « humain » says a person is already asked for',
    steps: [askForPerson(), { user: 'humain', reply: /déjà un technicien/ }, { user: 'annuler', reply: /n’attendez plus/, ticket: { relay: 'bot' } }],
  },
  {
    name: 'a conversation both ways, then handed back to the bot',
    steps: [
      ...liveWithBruno(),
      { agent: 'Pouvez-vous ouvrir Outlook ?', silent: true, told: /ouvrir Outlook/ },
      { user: 'oui c’est ouvert', silent: true, thread: /oui c’est ouvert/ },
      { agent: 'rendre {n}', told: /Guichet/, ticket: { relay: 'bot' } },
      { user: 'mes tickets', reply: /#{n}/, noThread: true },
    ],
  },
];
