/** Relay both ways, whatever the words: nothing said between a requester and the agent is answered by the bot or lost. */
import type { Journey } from './journey.ts';
import { liveWithBruno } from './steps.ts';

/** What an agent may write in the card's thread: every one reaches the requester, word for word. */
const AGENT_WORDS = [
  'Bonjour, je regarde votre écran…',
  'bonjour',
  'Hello!',
  'merci',
  'thanks',
  'ok',
  '👍',
  'mes tickets',
  'aide',
  'annuler',
  'english',
  'Pouvez-vous redémarrer le poste ?',
  'le VPN est-il connecté ?',
  'human',
];

/** What a requester may write while an agent has their conversation: every one reaches the thread. */
const REQUESTER_WORDS = [
  'bonjour',
  'merci beaucoup',
  'ok',
  '🙏',
  'oui',
  'non toujours pas',
  'Outlook ne s’ouvre toujours pas',
  'comment je fais pour redémarrer ?',
  'Thanks, it works now',
];

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export const relayJourneys: Journey[] = [
  ...AGENT_WORDS.map((words): Journey => ({
    name: `agent → requester: « ${words} »`,
    steps: [...liveWithBruno(), { agent: words, silent: true, told: new RegExp(escape(words)), noThread: true }],
  })),
  ...REQUESTER_WORDS.map((words): Journey => ({
    name: `requester → agent: « ${words} »`,
    steps: [...liveWithBruno(), { user: words, silent: true, thread: new RegExp(`Claire Requester\\d+\\s?: ${escape(words)}`) }],
  })),
  {
    name: 'a conversation both ways, then the requester says thanks and the agent hands back to the bot',
    steps: [
      ...liveWithBruno(),
      { agent: 'Bonjour, je regarde votre écran…', silent: true, told: /je regarde votre écran/ },
      { user: 'Merci, je vous laisse la main', silent: true, thread: /je vous laisse la main/ },
      { agent: 'Pouvez-vous ouvrir Outlook ?', silent: true, told: /ouvrir Outlook/ },
      { user: 'oui c’est ouvert', silent: true, thread: /oui c’est ouvert/ },
      { agent: 'rendre {n}', reply: /bot|Guichet/i, told: /Guichet/, ticket: { relay: 'bot' } },
      { user: 'mes tickets', reply: /#{n}/, noThread: true },
    ],
  },
  {
    name: 'the requester is shown to the agent by their display name, never a raw id',
    requesterName: 'Léa Fontaine',
    steps: [...liveWithBruno(), { user: 'voici le message d’erreur', silent: true, thread: /^Léa Fontaine\s?: voici/, notReply: /U0REQ/ }],
  },
  {
    name: 'a requester the platform gave no name for is shown by their e-mail name, never an id',
    requesterName: null,
    steps: [...liveWithBruno(), { user: 'l’imprimante affiche E-04', silent: true, thread: /^claire\.r\d+\s?: l’imprimante/, notReply: /U0REQ/ }],
  },
];
