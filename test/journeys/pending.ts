/** Pending questions own the turn: "is it fixed?" in free words, the survey, a description asked, an agent's question. */
import type { Journey, Step } from './journey.ts';
import { liveWithBruno, resolvedByBruno } from './steps.ts';

const fixed = (words: string, lang: 'fr' | 'en' = 'fr'): Journey => ({
  name: `« ${words} » to « is it fixed? » closes the ticket and asks for a rating`,
  lang,
  steps: [...resolvedByBruno(lang), { user: words, reply: /#{n}/, ticket: { status: 'closed' } }],
});
const notFixed = (words: string, lang: 'fr' | 'en' = 'fr'): Journey => ({
  name: `« ${words} » to « is it fixed? » reopens the ticket`,
  lang,
  steps: [...resolvedByBruno(lang), { user: words, reply: /#{n}/, ticket: { status: 'in-progress' }, events: /reopened/ }],
});

const rateAndComment: Step[] = [
  { user: 'oui', reply: /clos/, ticket: { status: 'closed' } },
  { user: '4', reply: /commentaire/ },
  { user: 'Rapide et efficace', reply: /Merci pour votre retour/, events: /rated: \{"score":4,"comment":"Rapide et efficace"\}/ },
];

export const pendingJourneys: Journey[] = [
  fixed('oui'),
  fixed('ouais'),
  fixed('c bon'),
  fixed('yep', 'en'),
  fixed('yes it works', 'en'),
  notFixed('nope', 'en'),
  notFixed('non toujours pas'),
  notFixed('non'),
  notFixed('no, still broken', 'en'),
  { name: 'the survey after a confirmed fix: a score, then a comment', steps: [...resolvedByBruno(), ...rateAndComment] },
  {
    name: '« oui » to « is it fixed? » even after an article asked « did this help? » earlier',
    steps: [
      { user: 'la recherche Outlook ne trouve pas les mails récents', reply: /Outlook/ },
      ...resolvedByBruno(),
      { user: 'oui', reply: /clos/, ticket: { status: 'closed' } },
    ],
  },
  {
    name: '« oui » to « is it fixed? » asked after an article’s « did this help? »: the ticket’s question is the latest',
    steps: [
      ...liveWithBruno(),
      { agent: 'rendre {n}', ticket: { relay: 'bot' } },
      { user: 'la recherche Outlook ne trouve pas les mails récents', reply: /Outlook/ },
      { agent: 'résoudre {n} : index Outlook reconstruit', told: /Le problème est-il réglé \?/, ticket: { status: 'resolved' } },
      { user: 'oui', reply: /#{n}.*clos/, ticket: { status: 'closed' } },
    ],
  },
  {
    name: 'a description asked for a new ticket: the next message is the description',
    steps: [
      { user: 'ouvrir un ticket', reply: /Décrivez|décrivez/ },
      { user: 'mon deuxième écran reste noir', reply: /#\d+/, ticket: { status: 'new' } },
    ],
  },
  {
    name: 'the agent asks a question from the thread: the requester’s answer reaches the agent, not the FAQ search',
    steps: [
      ...liveWithBruno(),
      { agent: 'Quel est le message d’erreur exact ?', silent: true, told: /message d’erreur exact/ },
      { user: 'erreur 0x80070005 accès refusé', silent: true, thread: /0x80070005/ },
    ],
  },
  {
    name: 'the agent asks with « demander #N » after handing back: the answer is added to the ticket, not searched',
    steps: [
      ...liveWithBruno(),
      { agent: 'rendre {n}', ticket: { relay: 'bot' } },
      { agent: 'demander {n} : quel est le numéro de votre poste ?', reply: /#{n}/, told: /numéro de votre poste/, ticket: { status: 'pending-user' } },
      { user: 'c’est le LT-004211', reply: /#{n}/, events: /LT-004211/, ticket: { status: 'in-progress' } },
    ],
  },
  {
    name: 'a new request while the survey waits: the request is served, not taken for a rating',
    steps: [
      ...resolvedByBruno(),
      { user: 'oui', reply: /clos/ },
      { user: 'ouvrir un ticket : mon imprimante affiche une erreur', reply: /#\d+/, notReply: /chiffre de 1 à 5/ },
    ],
  },
  {
    name: 'a new request while a description is asked: « mes tickets » is answered, not taken for the description',
    steps: [
      ...liveWithBruno(),
      { agent: 'rendre {n}', ticket: { relay: 'bot' } },
      { user: 'ouvrir un ticket', reply: /écrivez|Décrivez|décrivez/i },
      { user: 'mes tickets', reply: /#{n}/ },
    ],
  },
];
