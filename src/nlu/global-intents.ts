/**
 * The intents every conversation has besides the flows, with example
 * utterances in French and English, and out-of-scope utterances (chit-chat,
 * other departments' questions) used to calibrate the threshold. They train
 * the router's classifier together with the flows' `examples:`; the exact
 * commands ("aide", "annuler", "mes tickets") are recognised before it, so
 * these examples are the paraphrases.
 */
import type { Localized } from '../core/lang.ts';

export const GLOBAL_INTENTS = ['greeting', 'thanks', 'help', 'agent', 'cancel', 'my-tickets', 'ticket-status', 'open-ticket'] as const;
export type GlobalIntent = (typeof GLOBAL_INTENTS)[number];

type Examples = { [L in keyof Localized]: string[] };

export const GLOBAL_EXAMPLES: Record<GlobalIntent, Examples> = {
  greeting: {
    fr: ['bonjour', 'salut', 'bonjour guichet', 'coucou', 'bonsoir', 'bonjour à toi', 'salut ça va', 'hello tout le monde', 'bonjour, vous êtes là ?', 'bjr', 'yo', 'bonjour bonjour'],
    en: ['hello', 'hi', 'hey there', 'good morning', 'good afternoon', 'hi guichet', 'hello, anyone there?', 'hey', 'hiya', 'morning', 'hi, how are you', 'greetings'],
  },
  thanks: {
    fr: ['merci', 'merci beaucoup', 'merci pour ton aide', 'super merci', 'top merci beaucoup', 'merci bien', 'c’est gentil merci', 'parfait merci pour tout', 'merci infiniment', 'je te remercie', 'mille mercis', 'merci, bonne journée'],
    en: ['thanks', 'thank you', 'thanks a lot', 'thank you so much for your help', 'cheers', 'great, thanks', 'many thanks', 'thx', 'much appreciated', 'thanks for the help', 'awesome thank you', 'thanks, have a nice day'],
  },
  help: {
    fr: ['aide', 'que sais-tu faire', 'à quoi tu sers', 'comment ça marche', 'quelles sont tes fonctions', 'qu’est-ce que je peux te demander', 'menu', 'tu peux faire quoi', 'comment t’utiliser', 'aide moi à comprendre ce bot', 'liste des commandes', 'qu’est-ce que tu sais faire exactement'],
    en: ['help', 'what can you do', 'how does this work', 'what are you for', 'what can I ask you', 'show me the commands', 'menu', 'how do I use you', 'what do you know how to do', 'list of commands', 'what is this bot for', 'what are your features'],
  },
  agent: {
    fr: ['je veux parler à un humain', 'passez-moi un technicien', 'je voudrais parler à quelqu’un du support', 'un vrai humain svp', 'est-ce que je peux avoir quelqu’un au téléphone', 'mettez-moi en relation avec un technicien', 'je préfère parler à une personne', 'appeler le support', 'contacter un technicien', 'je veux un conseiller', 'transfère-moi à un agent', 'je veux parler au helpdesk'],
    en: ['I want to talk to a human', 'get me a technician', 'can I speak to someone from support', 'a real person please', 'can someone call me', 'connect me with an agent', 'I would rather talk to a person', 'call the service desk', 'contact a technician', 'transfer me to a human', 'I need a live agent', 'let me talk to the helpdesk'],
  },
  cancel: {
    fr: ['annuler', 'laisse tomber', 'on arrête là', 'stop', 'c’est bon j’abandonne', 'oublie ça', 'je ne veux plus', 'annule tout', 'arrête', 'finalement non', 'pas la peine', 'on oublie'],
    en: ['cancel', 'never mind', 'forget it', 'stop', 'let’s stop here', 'I give up', 'drop it', 'cancel that', 'quit', 'actually no', 'no need anymore', 'abort'],
  },
  'my-tickets': {
    fr: ['mes tickets', 'où en sont mes demandes', 'voir mes tickets en cours', 'liste de mes incidents', 'est-ce que j’ai des tickets ouverts', 'mes demandes en cours', 'suivi de mes tickets', 'quels sont mes tickets', 'montre-moi mes tickets', 'l’état de mes demandes', 'j’ai des demandes en attente ?', 'historique de mes tickets'],
    en: ['my tickets', 'show my open tickets', 'what are my requests', 'list my incidents', 'do I have any open tickets', 'status of my requests', 'track my tickets', 'show me my tickets', 'my open requests', 'where are my tickets at', 'any pending tickets for me', 'my ticket history'],
  },
  'ticket-status': {
    fr: ['où en est le ticket 1042', 'statut du ticket #1043', 'le ticket n° 1050 avance ?', 'des nouvelles de ma demande 1061', 'état du ticket 1077', 'quand sera traité le ticket 1088', 'suivi du ticket #1099', 'mon ticket 1100 est pris en charge ?', 'le #1111 en est où', 'avancement de l’incident 1122', 'qui s’occupe du ticket 1133', 'ticket 1144 toujours ouvert ?', 'l’incident 1155 est-il résolu', 'avancement de ma demande 1166'],
    en: ['status of ticket 1042', 'where is ticket #1043', 'any update on 1050', 'what is happening with my request 1061', 'state of ticket 1077', 'when will ticket 1088 be fixed', 'track ticket #1099', 'has anyone picked up ticket 1100', 'update on #1111', 'progress of incident 1122', 'who is working on ticket 1133', 'is ticket 1144 still open', 'is incident 1155 resolved yet', 'progress on my request 1166'],
  },
  'open-ticket': {
    fr: ['ouvrir un ticket', 'je veux créer un ticket', 'faire une demande au support', 'déclarer un incident', 'créer une demande', 'je voudrais ouvrir un incident', 'peux-tu ouvrir un ticket pour moi', 'nouveau ticket', 'signaler un problème au support', 'je veux faire un ticket', 'enregistrer une demande', 'ouvre-moi un ticket stp'],
    en: ['open a ticket', 'I want to create a ticket', 'raise a request with support', 'log an incident', 'create a request', 'I would like to open an incident', 'can you open a ticket for me', 'new ticket', 'report a problem to the service desk', 'file a ticket', 'submit a request', 'please raise a ticket'],
  },
};

/** Messages Guichet has no intent for: they go to the knowledge search, never to a flow. */
export const OUT_OF_SCOPE: Examples = {
  fr: [
    'quel temps fait-il demain', 'raconte-moi une blague', 'quel est le menu de la cantine', 'combien de jours de congés me reste-t-il',
    'quand est versé le salaire', 'qui a gagné le match hier', 'réserver une salle de réunion pour jeudi', 'où se trouve la machine à café',
    'comment poser mes RTT', 'quelle est la date du séminaire', 'je voudrais une note de frais', 'quel est le code wifi des invités de la cafétéria',
    'recommande-moi un restaurant', 'tu es un robot ?', 'quelle heure est-il', 'comment obtenir une place de parking',
    'ma mutuelle ne rembourse pas', 'qui est mon manager', 'comment s’inscrire à la formation sécurité incendie', 'le badge de la porte du garage',
    'la climatisation est trop forte', 'commander des fournitures de bureau', 'convertir des euros en dollars', 'écris-moi un poème',
  ],
  en: [
    "what's the weather tomorrow", 'tell me a joke', "what's for lunch at the canteen", 'how many days off do I have left',
    'when is payday', 'who won the game last night', 'book a meeting room for thursday', 'where is the coffee machine',
    'how do I request parental leave', 'when is the offsite', 'I need to file an expense report', 'recommend a restaurant nearby',
    'are you a robot?', 'what time is it', 'how do I get a parking spot', 'my health insurance did not pay',
    'who is my manager', 'sign up for the fire safety training', 'the air conditioning is too cold', 'order office supplies',
    'convert euros to dollars', 'write me a poem', 'what is the meaning of life', 'the elevator is broken on floor 3',
  ],
};
