/**
 * The flow engine's texts of the catalogue (see index.ts): buttons, re-asks, the "did this fix it?"
 * question, outage notices, closing lines and the headings of the diagnosis. A flow's own texts live
 * in its file and win where a node gives one (`text`, `question`).
 */
import type { TextTable } from './define.ts';

export const flows = {
  yes: { fr: 'Oui', en: 'Yes' },
  no: { fr: 'Non', en: 'No' },
  dontKnow: { fr: 'Je ne sais pas', en: 'I don’t know' },
  notGiven: { fr: 'non précisé', en: 'not given' },
  'error.yes-no': { fr: 'Répondez simplement par oui ou par non.', en: 'Please just answer yes or no.' },
  'error.choice': { fr: 'Choisissez l’une des propositions ci-dessous.', en: 'Please pick one of the options below.' },
  'error.text': { fr: 'Votre réponse doit faire entre {min} et {max} caractères.', en: 'Your answer must be between {min} and {max} characters long.' },
  'error.asset-tag': {
    fr: 'Je n’ai pas reconnu de numéro d’inventaire (du type LT-004211, sur l’étiquette collée sous l’appareil).',
    en: 'I didn’t recognise an asset tag (like LT-004211, on the label under the device).',
  },
  'error.email': { fr: 'Je n’ai pas reconnu d’adresse e-mail (du type prenom.nom@…).', en: 'I didn’t recognise an e-mail address (like firstname.lastname@…).' },
  'error.number': { fr: 'Indiquez un nombre{range}.', en: 'Please give a number{range}.' },
  'error.error-code': {
    fr: 'Je n’ai pas reconnu de code d’erreur (par exemple 809 ou 0x80070005).',
    en: 'I didn’t recognise an error code (for example 809 or 0x80070005).',
  },
  orDontKnow: { fr: ' Si vous ne savez pas, répondez « je ne sais pas ».', en: ' If you don’t know, answer “I don’t know”.' },
  between: { fr: ' entre {min} et {max}', en: ' between {min} and {max}' },
  offerHuman: {
    fr: 'Je n’arrive pas à comprendre votre réponse. Voulez-vous que je vous passe un technicien du support ?',
    en: 'I can’t make sense of your answer. Would you like me to pass you to a service desk agent?',
  },
  talkToAgent: { fr: 'Parler à un technicien', en: 'Talk to an agent' },
  tryAgain: { fr: 'Réessayer', en: 'Try again' },
  userAskedAgent: { fr: 'L’utilisateur a demandé à parler à un technicien', en: 'The user asked to talk to an agent' },
  offerHumanReason: { fr: 'Réponse incomprise à la question : {question}', en: 'Could not understand the answer to: {question}' },
  didThisFix: { fr: 'Est-ce que cela a résolu votre problème ?', en: 'Did this fix your problem?' },
  fixedYes: { fr: 'Oui, c’est réglé', en: 'Yes, it’s fixed' },
  fixedNo: { fr: 'Non, toujours pas', en: 'No, still broken' },
  chooseArticle: {
    fr: 'Plusieurs articles peuvent correspondre. Lequel ressemble le plus à votre problème ?',
    en: 'A few articles could match. Which one looks most like your problem?',
  },
  noneOfThese: { fr: 'Aucun de ceux-là', en: 'None of these' },
  incidentNotice: {
    fr: '⚠️ Un incident est en cours depuis {since} : « {title} ». Nos équipes travaillent dessus. Est-ce bien ce que vous constatez ?',
    en: '⚠️ There is an ongoing incident since {since}: “{title}”. Our teams are working on it. Is this what you are experiencing?',
  },
  incidentYes: { fr: 'Oui, c’est ça', en: 'Yes, that’s it' },
  incidentNo: { fr: 'Non, c’est autre chose', en: 'No, it’s something else' },
  assetFound: { fr: 'Dans l’inventaire, je vois : {name} ({tag}).', en: 'In the inventory I can see: {name} ({tag}).' },
  resolvedQuestion: { fr: 'Est-ce que tout fonctionne maintenant ?', en: 'Is everything working now?' },
  resolvedDone: {
    fr: 'Parfait, content que ce soit réglé ! Revenez me voir si besoin.',
    en: 'Great, glad it’s sorted! Come back any time.',
  },
  ticketCreated: {
    fr: 'J’ouvre un ticket avec tout ce que nous avons vérifié ensemble ; vous recevez son numéro dans un instant.',
    en: 'I’m opening a ticket with everything we checked together; you’ll get its number in a moment.',
  },
  'approval.manager': {
    fr: 'Cette demande doit d’abord être approuvée par votre manager ; je vous préviens dès qu’il ou elle a répondu.',
    en: 'This request first needs your manager’s approval; I’ll let you know as soon as they answer.',
  },
  'approval.owner': {
    fr: 'Le responsable de la ressource doit d’abord donner son accord ; je vous préviens dès qu’il ou elle a répondu.',
    en: 'The owner of the resource must approve it first; I’ll let you know as soon as they answer.',
  },
  handoff: {
    fr: 'Je vous passe un technicien du support : il verra tout ce que nous avons déjà vérifié.',
    en: 'I’m passing you to a service desk agent: they will see everything we have already checked.',
  },
  cancelled: { fr: 'D’accord, j’arrête là. Décrivez-moi un autre problème quand vous voulez.', en: 'OK, I’ll stop here. Tell me about another problem whenever you like.' },
  'end.ticket': { fr: 'Le support revient vers vous ici même.', en: 'The service desk will get back to you right here.' },
  'end.major-incident': {
    fr: 'C’est noté : je vous préviens dès que l’incident est résolu. Inutile d’ouvrir un ticket en plus.',
    en: 'Noted: I’ll let you know as soon as the incident is resolved. No need for a ticket of your own.',
  },
  restarted: {
    fr: 'Ce parcours a été mis à jour entre-temps : je reprends depuis le début pour ne rien mélanger.',
    en: 'This guide was updated in the meantime, so I’m starting it again from the beginning to keep things straight.',
  },
  gone: {
    fr: 'Désolé, je ne retrouve plus où nous en étions. Pouvez-vous me redécrire votre problème ?',
    en: 'Sorry, I lost track of where we were. Could you describe your problem again?',
  },
  // What the flows module says around the engine (src/flows/module.ts).
  prefilled: { fr: 'J’ai noté d’après votre message : {value}.', en: 'Noted from your message: {value}.' },
  userAskedTicket: {
    fr: 'L’utilisateur a demandé un ticket en cours de diagnostic. Message initial : « {utterance} ».',
    en: 'The user asked for a ticket during the diagnosis. First message: “{utterance}”.',
  },
  'find.userAskedTicket': { fr: 'L’utilisateur a demandé à ouvrir un ticket', en: 'The user asked to open a ticket' },
  restartedByUser: { fr: 'D’accord, je reprends ce parcours depuis le début.', en: 'OK, starting this guide again from the beginning.' },
  leaveQuestion: {
    fr: 'Nous étions en train de voir « {current} ». Votre message semble porter sur autre chose : {other}. Voulez-vous laisser ce parcours ?',
    en: 'We were working on “{current}”. Your message seems to be about something else: {other}. Do you want to leave this guide?',
  },
  leaveForFlow: { fr: '« {title} »', en: '“{title}”' },
  leaveForAnswer: { fr: 'j’ai peut-être une réponse toute prête', en: 'I may have a ready answer' },
  leaveYes: { fr: 'Oui, passer à autre chose', en: 'Yes, switch' },
  leaveNo: { fr: 'Non, continuer', en: 'No, let’s go on' },
  left: { fr: 'D’accord, je laisse « {title} » de côté.', en: 'OK, I’m leaving “{title}” aside.' },
  continuing: { fr: 'D’accord, on continue.', en: 'OK, let’s go on.' },
  ticketOpened: { fr: 'Ticket #{number} ouvert.{due}', en: 'Ticket #{number} opened.{due}' },
  ticketDue: { fr: ' Résolution prévue avant le {when}.', en: ' Resolution due by {when}.' },
  ticketAgain: { fr: 'Le ticket #{number} est déjà ouvert pour cette demande.', en: 'Ticket #{number} is already open for this request.' },
  handoffQueued: {
    fr: 'Un technicien va reprendre la conversation (ticket #{number}){due}. Vos messages suivants lui seront transmis.',
    en: 'A technician will take over (ticket #{number}){due}. Your next messages will be passed on to them.',
  },
  responseDue: { fr: ', prise en charge avant le {when}', en: ', response due by {when}' },
  handoffTitle: { fr: '{title} : demande à parler à un technicien', en: '{title}: asked to talk to a technician' },
  agentTicketTitle: { fr: 'Demande à parler à un technicien', en: 'Asked to talk to a technician' },
  agentTicketBody: {
    fr: 'L’utilisateur a demandé à parler à un technicien depuis le chat.{query}',
    en: 'The user asked to talk to a technician from the chat.{query}',
  },
  agentTicketQuery: { fr: ' Sa question : « {query} »', en: ' Their question: “{query}”' },
  noDesk: {
    fr: 'Je ne peux pas ouvrir de ticket depuis cette discussion : contactez le support informatique par téléphone ou par e-mail, en reprenant ce que nous avons vérifié.',
    en: 'I can’t open tickets from this chat: please contact the IT service desk by phone or e-mail, with what we checked.',
  },
  reportLinked: {
    fr: 'Votre signalement est rattaché à l’incident (ticket #{number}) : vous serez prévenu(e) de sa résolution.',
    en: 'Your report is linked to the incident (ticket #{number}): you will be told when it is resolved.',
  },
  'diag.heading': { fr: 'Diagnostic mené avec Guichet (parcours « {title} ») :', en: 'Diagnosis done with Guichet (guide “{title}”):' },
  'diag.advice': { fr: 'Conseil donné : {text}', en: 'Advice given: {text}' },
  'diag.articles': { fr: 'Articles proposés :', en: 'Articles shown:' },
  'diag.article': { fr: '- {id} « {title} » : {outcome}', en: '- {id} “{title}”: {outcome}' },
  'diag.helped': { fr: 'a résolu le problème', en: 'fixed the problem' },
  'diag.notHelped': { fr: 'n’a pas résolu le problème', en: 'did not fix the problem' },
  'diag.noAnswer': { fr: 'sans réponse', en: 'no answer' },
  'diag.assets': { fr: 'Appareils concernés :', en: 'Devices involved:' },
  'diag.none': { fr: '(aucune étape)', en: '(no steps)' },
  'find.searchNone': { fr: 'Aucun article trouvé pour « {query} »', en: 'No article found for “{query}”' },
  'find.noneOfThese': { fr: 'Aucun des articles proposés ne correspondait', en: 'None of the articles shown matched' },
  'find.article': { fr: 'Article {id} « {title} » : {outcome}', en: 'Article {id} “{title}”: {outcome}' },
  'find.incidentLinked': { fr: 'Rattaché à l’incident majeur {id} « {title} »', en: 'Linked to major incident {id} “{title}”' },
  'find.incidentOther': {
    fr: 'Incident majeur {id} « {title} » en cours : selon l’utilisateur, ce n’est pas son problème',
    en: 'Major incident {id} “{title}” open: the user says it is not their problem',
  },
  'find.assetOne': { fr: 'Appareil trouvé dans l’inventaire : {name} ({tag})', en: 'Device found in the inventory: {name} ({tag})' },
  'find.assetsSeveral': { fr: '{count} appareils de type « {kind} » dans l’inventaire', en: '{count} devices of kind “{kind}” in the inventory' },
  'find.assetsNone': { fr: 'Aucun appareil de type « {kind} » dans l’inventaire', en: 'No device of kind “{kind}” in the inventory' },
  'find.ticket': { fr: 'Ticket demandé : {title}', en: 'Ticket requested: {title}' },
} satisfies TextTable;
