/**
 * What human handoff says to requesters and agents, and the labels of its escalation cards
 * (see index.ts: `say(lang, 'handoff.queued', { number, availability })`).
 */
import type { TextTable } from './define.ts';

export const handoff = {
  // To the user
  queued: {
    fr: 'Je transmets votre demande à un technicien (ticket #{number}). {availability} Vos messages suivants seront ajoutés au ticket et lus par la personne qui le prendra.',
    en: 'I’m passing your request to a technician (ticket #{number}). {availability} Your next messages will be added to the ticket and read by whoever takes it.',
  },
  agentsAvailable: { fr: 'Un technicien va le prendre en charge{due}.', en: 'A technician will pick it up{due}.' },
  noAgentAvailable: {
    fr: 'Aucun technicien n’est disponible pour l’instant ; votre demande sera prise en charge{due}.',
    en: 'No technician is available right now; your request will be picked up{due}.',
  },
  dueBefore: { fr: ' avant le {when}', en: ' by {when}' },
  queuedMessage: {
    fr: 'Ajouté au ticket #{number} : le technicien le lira en le prenant en charge.',
    en: 'Added to ticket #{number}: the technician will read it when they take it.',
  },
  stillWaiting: {
    fr: 'Vous attendez déjà un technicien pour le ticket #{number} : il vous répondra ici. Écrivez « annuler » pour ne plus attendre.',
    en: 'You are already waiting for a technician on ticket #{number}: they will answer here. Write “cancel” to stop waiting.',
  },
  waitCancelled: {
    fr: 'D’accord, vous n’attendez plus de technicien. Le ticket #{number} reste ouvert : l’équipe le traitera et vous tiendra au courant.',
    en: 'All right, you are no longer waiting for a technician. Ticket #{number} stays open: the team will work on it and keep you posted.',
  },
  agentJoined: {
    fr: '👤 {agent} (support informatique) a pris votre ticket #{number}. Vous parlez maintenant à une personne : écrivez ici.',
    en: '👤 {agent} (IT service desk) took your ticket #{number}. You are now talking to a person: write here.',
  },
  backToBot: {
    fr: '🤖 {agent} vous a rendu la main : vous parlez de nouveau à Guichet, l’assistant automatique. Le ticket #{number} reste ouvert.',
    en: '🤖 {agent} handed you back: you are talking to Guichet, the automated assistant, again. Ticket #{number} stays open.',
  },
  // To agents
  userSays: { fr: '{user} : {text}', en: '{user}: {text}' },
  unnamedRequester: { fr: 'Le demandeur (nom inconnu)', en: 'The requester (name unknown)' },
  queuedHeader: { fr: 'Messages reçus en attendant :', en: 'Messages received while waiting:' },
  taken: { fr: 'Vous avez pris le ticket #{number}. Vos réponses dans ce fil sont transmises à {user}.', en: 'You took ticket #{number}. Your replies in this thread go to {user}.' },
  alreadyTaken: { fr: 'Le ticket #{number} est déjà pris par {owner}.', en: 'Ticket #{number} is already taken by {owner}.' },
  notMember: {
    fr: 'Seuls les membres du groupe {group} (ou les administrateurs) peuvent agir sur le ticket #{number}.',
    en: 'Only members of group {group} (or administrators) can act on ticket #{number}.',
  },
  agentsOnly: { fr: 'Cette commande est réservée aux techniciens.', en: 'This command is for service desk agents.' },
  stale: { fr: 'Le ticket #{number} est {status} : rien n’a été modifié.', en: 'Ticket #{number} is {status}: nothing was changed.' },
  unknownTicket: { fr: 'Aucun ticket #{number}.', en: 'No ticket #{number}.' },
  asked: { fr: 'Question envoyée à {user} ; le ticket #{number} attend sa réponse.', en: 'Question sent to {user}; ticket #{number} waits for their answer.' },
  unknownPerson: { fr: 'Je ne connais personne avec l’adresse « {who} ».', en: 'I know nobody with the address “{who}”.' },
  openedFor: { fr: 'Ticket #{number} ouvert pour {who}.', en: 'Ticket #{number} opened for {who}.' },
  noteAdded: { fr: 'Note interne ajoutée au ticket #{number} (invisible pour le demandeur).', en: 'Internal note added to ticket #{number} (not shown to the requester).' },
  reassigned: { fr: 'Ticket #{number} assigné à {agent}.', en: 'Ticket #{number} assigned to {agent}.' },
  unknownAgent: { fr: 'Je ne trouve aucun technicien « {who} ».', en: 'I can’t find any agent “{who}”.' },
  escalated: { fr: 'Ticket #{number} escaladé au niveau {level} ({group}).', en: 'Ticket #{number} escalated to level {level} ({group}).' },
  priorityChanged: { fr: 'Ticket #{number} passé en P{priority}.', en: 'Ticket #{number} is now P{priority}.' },
  resolved: { fr: 'Ticket #{number} résolu ; le demandeur doit confirmer.', en: 'Ticket #{number} resolved; the requester is asked to confirm.' },
  resolveHow: {
    fr: 'Indiquez la résolution : « résoudre #{number} : ce qui a été fait ».',
    en: 'Say what fixed it: “resolve #{number}: what was done”.',
  },
  handedBack: { fr: 'Conversation du ticket #{number} rendue au bot.', en: 'Ticket #{number}’s conversation handed back to the bot.' },
  notLive: { fr: 'Personne ne relaie la conversation du ticket #{number}.', en: 'Nobody is relaying ticket #{number}’s conversation.' },
  relayed: { fr: 'Transmis à {user}.', en: 'Sent to {user}.' },
  takeFirst: {
    fr: 'Prenez le ticket #{number} (« prendre {number} ») pour écrire au demandeur ; votre message a été ajouté comme note interne.',
    en: 'Take ticket #{number} (“take {number}”) to write to the requester; your message was added as an internal note.',
  },
  available: { fr: 'Vous êtes disponible ({groups} groupe(s)).', en: 'You are available ({groups} group(s)).' },
  away: { fr: 'Vous êtes absent : les nouveaux tickets ne vous seront pas proposés.', en: 'You are away: new tickets will not be offered to you.' },
  queueTitle: { fr: 'Votre file ({count})', en: 'Your queue ({count})' },
  queueEmpty: { fr: 'Votre file est vide.', en: 'Your queue is empty.' },
  nextNone: { fr: 'Aucun ticket non assigné dans vos groupes.', en: 'No unassigned ticket in your groups.' },
  faqDrafted: { fr: 'Brouillon {id} créé à partir du ticket #{number}, à relire avant publication.', en: 'Draft {id} made from ticket #{number}, to review before publishing.' },
  faqNeedsResolution: { fr: 'Le ticket #{number} doit être résolu pour en tirer une FAQ.', en: 'Ticket #{number} must be resolved to draft an FAQ from it.' },
  badAction: { fr: 'Action refusée : {problem}', en: 'Action refused: {problem}' },
  cut: { fr: '… (suite dans le ticket complet : {link})', en: '… (the rest is in the full record: {link})' },
  cutNoLink: { fr: '… (suite dans le ticket #{number})', en: '… (the rest is in ticket #{number})' },
  // Card buttons
  take: { fr: 'Prendre', en: 'Take' },
  handBack: { fr: 'Rendre au bot', en: 'Hand back to bot' },
  escalateL2: { fr: 'Escalader N2', en: 'Escalate to L2' },
  escalateL3: { fr: 'Escalader N3', en: 'Escalate to L3' },
  priorityUp: { fr: 'Priorité +', en: 'Raise priority' },
  resolve: { fr: 'Résoudre…', en: 'Resolve…' },
  addFaq: { fr: 'Ajouter à la FAQ', en: 'Add to FAQ' },
  // Where the conversation with the requester stands, as a card's label (for the channels' cards)
  relayQueued: { fr: 'En attente d’un technicien', en: 'Waiting for an agent' },
  relayLive: { fr: 'Conversation relayée en direct', en: 'Live conversation relayed' },
  relayBot: { fr: 'Suivi par Guichet', en: 'Followed by Guichet' },
} satisfies TextTable;
