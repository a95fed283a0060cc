/**
 * What the desks say: where a user stands in the queue and when a person will look at their
 * request, out of hours honestly; what the on-call person is paged with. Used through
 * `localizeEntry(desks.key, lang, vars)` until the table is registered in index.ts.
 */
import type { TextTable } from './define.ts';

export const desks = {
  // To the user who asked for a person
  // Follows handoff.queued while the desk is open.
  queuedOpen: {
    fr: 'Vous êtes en position {position} dans la file de {desk} (ticket #{number}) ; attente estimée : {wait}. {options}',
    en: 'You are number {position} in the queue of {desk} (ticket #{number}); expected wait: {wait}. {options}',
  },
  queuedClosed: {
    fr: 'Le support ouvre {opens} ; votre ticket est le #{number}. Personne ne le lira avant. Vous serez en position {position} dans la file : réponse attendue vers {answer}. Vos messages suivants seront ajoutés au ticket. {options}',
    en: 'The service desk opens {opens}; your ticket is #{number}. Nobody will read it before then. You will be number {position} in the queue: expect an answer around {answer}. Your next messages will be added to the ticket. {options}',
  },
  queueOptions: {
    fr: 'Écrivez « rappel 14:30 » pour être rappelé à une heure, ou « retour au bot » pour quitter la file.',
    en: 'Write “call me back 14:30” to be called back at a time, or “back to bot” to leave the queue.',
  },
  onCallPaged: {
    fr: 'Votre demande est urgente : la personne d’astreinte a été prévenue.',
    en: 'Your request is urgent: the on-call person has been paged.',
  },
  positionUpdate: {
    fr: 'Ticket #{number} : vous êtes maintenant en position {position} dans la file ; attente estimée : {wait}.',
    en: 'Ticket #{number}: you are now number {position} in the queue; expected wait: {wait}.',
  },
  left: {
    fr: 'Vous avez quitté la file : vous parlez de nouveau à Guichet, l’assistant automatique. Le ticket #{number} reste ouvert et sera traité par un technicien.',
    en: 'You left the queue: you are talking to Guichet, the automated assistant, again. Ticket #{number} stays open and a technician will handle it.',
  },
  callbackSet: {
    fr: 'C’est noté : un technicien vous rappellera vers {when} (ticket #{number}).',
    en: 'Noted: a technician will call you back around {when} (ticket #{number}).',
  },
  callbackNote: { fr: 'Rappel demandé vers {when}.', en: 'Call back requested around {when}.' },
  at: { fr: '{day} à {time}', en: '{day} at {time}' },
  minutes: { fr: 'environ {minutes} min', en: 'about {minutes} min' },
  hoursMinutes: { fr: 'environ {hours} h {minutes}', en: 'about {hours} h {minutes}' },
  // To the person on call
  page: {
    fr: '🚨 Astreinte : ticket {summary}. {desk} est fermé. Répondez « ack {number} » pour le prendre en compte ; sans réponse sous {minutes} min, la personne suivante sera appelée.',
    en: '🚨 On call: ticket {summary}. {desk} is closed. Reply “ack {number}” to acknowledge; without an answer within {minutes} min, the next person is paged.',
  },
  acknowledged: { fr: 'Alerte du ticket #{number} acquittée : plus personne d’autre ne sera appelé.', en: 'Page for ticket #{number} acknowledged: nobody else will be paged.' },
  nothingToAck: { fr: 'Aucune alerte en cours pour le ticket #{number}.', en: 'No page pending for ticket #{number}.' },
  // To agents: the queue per desk
  queueTitle: { fr: 'File de {desk} : {count} en attente', en: '{desk} queue: {count} waiting' },
  queueLine: { fr: '{position}. #{number} P{priority} — {user}, attend depuis {waited} min', en: '{position}. #{number} P{priority} — {user}, waiting {waited} min' },
  whereFrom: { fr: 'Bureau : {desk} · site : {site}', en: 'Desk: {desk} · site: {site}' },
  noSite: { fr: 'non renseigné', en: 'unknown' },
  consoleWaiting: { fr: 'En attente d’une personne', en: 'Waiting for a person' },
  consolePosition: { fr: 'Position', en: 'Position' },
  consolePriority: { fr: 'Priorité', en: 'Priority' },
  consoleRequester: { fr: 'Demandeur', en: 'Requester' },
  consoleWaited: { fr: 'Attente (min)', en: 'Waiting (min)' },
  statsTitle: { fr: 'Bureaux : indicateurs des {days} derniers jours', en: 'Desks: figures of the last {days} days' },
  statsNone: { fr: 'Personne n’a encore attendu de technicien sur cette période.', en: 'Nobody waited for a person in this period yet.' },
  statsDesk: { fr: 'Bureau', en: 'Desk' },
  statsVolume: { fr: 'Attentes', en: 'Waits' },
  statsMedian: { fr: 'Attente médiane (min)', en: 'Median wait (min)' },
  statsP90: { fr: 'Attente p90 (min)', en: 'p90 wait (min)' },
  statsAbandoned: { fr: 'Abandons', en: 'Abandoned' },
  statsFcr: { fr: 'Résolus au premier contact', en: 'First-contact resolution' },
  statsSla: { fr: 'SLA respecté', en: 'SLA met' },
  statsByHour: { fr: 'Attentes par heure de la journée — {desk}', en: 'Waits by hour of day — {desk}' },
  consoleAgent: { fr: 'Technicien', en: 'Agent' },
  consoleNobody: { fr: 'Personne', en: 'Nobody' },
  consoleSearch: { fr: 'Rechercher (numéro, texte)', en: 'Search (number, text)' },
  consoleDueIn: { fr: 'Échéance dans', en: 'Due in' },
  consoleOverdue: { fr: 'dépassée de {span}', en: 'overdue by {span}' },
  queueEmpty: { fr: 'Personne n’attend dans les files de vos bureaux.', en: 'Nobody is waiting in your desks’ queues.' },
} satisfies TextTable;
