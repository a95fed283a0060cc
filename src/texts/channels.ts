/**
 * Words the platform channels show by themselves: Slack's ticket modal and Home tab, the extra
 * sections of Slack's escalation card, the pointer after a slash command, the labels of an
 * escalation card's relay state and of an article's kind (Slack and Teams), and the apology sent
 * when a turn fails before any reply. Ticket words shared by every channel (status, due times, next
 * step…) are the core's and are not repeated here.
 */
import type { TextTable } from './define.ts';

export const channels = {
  /** Sent when a turn failed before any reply, in both languages (the user's is not known then). */
  apology: {
    fr: 'Désolé, une erreur est survenue de mon côté. Réessayez dans un instant.',
    en: 'Sorry, something went wrong on my side. Please try again in a moment.',
  },
  // The Home tab's lists (said by the core's form-intake module, shown by the Slack Home tab)
  homeMyTickets: { fr: 'Mes tickets en cours', en: 'My open tickets' },
  homeNoOpenTickets: { fr: 'Vous n’avez aucun ticket en cours.', en: 'You have no open tickets.' },
  homeMyQueue: { fr: 'Ma file de tickets ({count})', en: 'My ticket queue ({count})' },
  homeEmptyQueue: { fr: 'Aucun ticket dans vos groupes.', en: 'No tickets in your groups.' },
  // An article's kind, under its text
  articleFaq: { fr: 'FAQ', en: 'FAQ' },
  articleKnownError: { fr: 'Erreur connue', en: 'Known error' },
  articleProcedure: { fr: 'Procédure', en: 'Procedure' },

  // The ticket modal
  modalTitle: { fr: 'Nouveau ticket', en: 'New ticket' },
  modalSubmit: { fr: 'Créer', en: 'Create' },
  modalClose: { fr: 'Annuler', en: 'Cancel' },
  modalIntro: {
    fr: 'Décrivez votre problème ou votre demande : un technicien du support le prendra en charge.',
    en: 'Describe your problem or request: a service desk technician will pick it up.',
  },
  category: { fr: 'Catégorie', en: 'Category' },
  categoryPlaceholder: { fr: 'Choisissez un service', en: 'Pick a service' },
  impact: { fr: 'Impact', en: 'Impact' },
  impact1: { fr: 'Toute une équipe ou un site', en: 'A whole team or site' },
  impact2: { fr: 'Plusieurs personnes', en: 'Several people' },
  impact3: { fr: 'Moi seulement', en: 'Only me' },
  urgency: { fr: 'Urgence', en: 'Urgency' },
  urgency1: { fr: 'Je ne peux plus travailler', en: 'I cannot work at all' },
  urgency2: { fr: 'Je travaille avec difficulté', en: 'I can work, with difficulty' },
  urgency3: { fr: 'Ça peut attendre', en: 'It can wait' },
  title: { fr: 'Titre', en: 'Title' },
  titlePlaceholder: { fr: 'En quelques mots', en: 'In a few words' },
  description: { fr: 'Description', en: 'Description' },
  descriptionPlaceholder: { fr: 'Que se passe-t-il ? Depuis quand ? Message d’erreur ?', en: 'What happens? Since when? Any error message?' },
  errCreate: { fr: 'Le ticket n’a pas pu être créé. Réessayez dans un instant.', en: 'The ticket could not be created. Please try again in a moment.' },
  errNoDesk: { fr: 'La création de tickets n’est pas disponible pour le moment.', en: 'Creating tickets is not available at the moment.' },
  createdTitle: { fr: 'Ticket créé', en: 'Ticket created' },
  created: { fr: 'Votre ticket *#{number}* est créé. Je vous ai envoyé son suivi en message direct.', en: 'Your ticket *#{number}* is created. I sent you its details in a direct message.' },
  // After /guichet <text> typed outside the DM
  answeredInDm: { fr: 'Je vous ai répondu dans nos messages directs.', en: 'I answered you in our direct messages.' },
  // The Home tab
  homeHeader: { fr: 'Guichet — support informatique', en: 'Guichet — IT service desk' },
  homeIntro: {
    fr: 'Écrivez-moi dans l’onglet *Messages*, ou tapez `/guichet` suivi de votre problème.',
    en: 'Write to me in the *Messages* tab, or type `/guichet` followed by your problem.',
  },
  newTicket: { fr: 'Créer un ticket', en: 'Create a ticket' },
  more: { fr: '… et {count} autre(s).', en: '… and {count} more.' },
  // The escalation card
  contact: { fr: 'Contact', en: 'Contact' },
  department: { fr: 'Service', en: 'Department' },
  assets: { fr: 'Équipements', en: 'Assets' },
  openTickets: { fr: 'Tickets ouverts', en: 'Open tickets' },
  recentTickets: { fr: 'Tickets récents', en: 'Recent tickets' },
  none: { fr: 'aucun', en: 'none' },
  // Where the conversation with the requester stands (escalation cards)
  relayQueued: { fr: 'En attente d’un technicien', en: 'Waiting for an agent' },
  relayLive: { fr: 'Conversation relayée en direct', en: 'Live conversation relayed' },
  relayBot: { fr: 'Suivi par Guichet', en: 'Followed by Guichet' },
  cut: { fr: '(suite dans le ticket)', en: '(the rest is in the ticket)' },
} satisfies TextTable;
