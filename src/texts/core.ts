/** The core texts of the catalogue (see index.ts): the few things the core says by itself. */
import type { TextTable } from './define.ts';

export const core = {
  greeting: {
    fr: 'Bonjour{name} ! Je suis Guichet, l’assistant du support informatique. Décrivez votre problème en quelques mots, ou tapez « aide » pour voir ce que je sais faire.',
    en: 'Hello{name}! I’m Guichet, the IT service desk assistant. Describe your problem in a few words, or type “help” to see what I can do.',
  },
  fileNotKept: {
    fr: 'Je ne peux pas garder ce fichier ici. Décrivez votre problème en quelques mots, et joignez-le à votre ticket.',
    en: 'I can’t keep this file here. Describe your problem in a few words, and attach it to your ticket.',
  },
  fileHeld: {
    fr: '📎 Bien reçu : {files}. Je le joindrai au ticket si nous en ouvrons un.',
    en: '📎 Got it: {files}. I’ll attach it to the ticket if we open one.',
  },
  greetingAgain: {
    fr: 'Rebonjour{name} ! Que puis-je faire pour vous ?',
    en: 'Hello again{name}! What can I do for you?',
  },
  help: {
    fr: [
      '**Ce que je sais faire**',
      '',
      '- Répondre à vos questions informatiques : décrivez le problème avec vos mots (« mdp oublié », « le VPN ne se connecte pas »).',
      '- Vous guider pas à pas sur les problèmes courants (mot de passe, MFA, VPN, Wi-Fi, Outlook, imprimante, PC lent, logiciel, accès, matériel) et ouvrir un ticket avec tout ce que nous avons vérifié.',
      '- « mes tickets » liste vos tickets, « statut #1042 » en donne l’état.',
      '- « humain » ou « parler à quelqu’un » vous passe un technicien ; « annuler » arrête le parcours en cours, « recommencer » le reprend du début.',
      '- Vous parler en français ou en anglais : tapez « english » ou « français » pour changer de langue.',
      '- « aide » affiche ce message à tout moment.',
    ].join('\n'),
    en: [
      '**What I can do**',
      '',
      '- Answer your IT questions: describe the problem in your own words (“forgot my password”, “VPN won’t connect”).',
      '- Talk to you in English or French: type “français” or “english” to switch.',
      '- Guide you step by step through common problems (password, MFA, VPN, Wi-Fi, Outlook, printer, slow PC, software, access, hardware) and open a ticket with everything we checked.',
      '- “my tickets” lists your tickets, “status #1042” shows where one is.',
      '- “agent” or “talk to someone” gets you a technician; “cancel” stops the current guide, “restart” starts it again.',
      '- “help” shows this message at any time.',
    ].join('\n'),
  },
  switched: {
    fr: 'Très bien, je continue en français.',
    en: 'Sure, I’ll continue in English.',
  },
  thanks: {
    fr: 'Avec plaisir ! Autre chose ?',
    en: 'You’re welcome! Anything else?',
  },
  notUnderstood: {
    fr: 'Je n’ai pas compris. Tapez « aide » pour voir ce que je sais faire.',
    en: 'Sorry, I didn’t understand. Type “help” to see what I can do.',
  },
  emptyMessage: {
    fr: 'Je n’ai reçu aucun texte. Décrivez votre problème en quelques mots.',
    en: 'I didn’t receive any text. Describe your problem in a few words.',
  },
  articleIntro: {
    fr: 'Voici ce que j’ai trouvé :',
    en: 'Here is what I found:',
  },
  didThisFix: {
    fr: 'Est-ce que cela a résolu votre problème ?',
    en: 'Did this fix your problem?',
  },
  fixedYes: { fr: '✅ Oui, c’est résolu', en: '✅ Yes, that fixed it' },
  fixedNo: { fr: '❌ Non, pas utile', en: '❌ No, not helpful' },
  gladFixed: {
    fr: 'Parfait, content que ce soit réglé ! N’hésitez pas si autre chose coince.',
    en: 'Great, glad it’s fixed! Ask me anytime if something else goes wrong.',
  },
  sorryNotFixed: {
    fr: 'Désolé que cela n’ait pas suffi. Pouvez-vous décrire le problème autrement, avec le message d’erreur exact si vous en avez un ?',
    en: 'Sorry that didn’t help. Can you describe the problem another way, with the exact error message if you have one?',
  },
  chooseArticle: {
    fr: 'J’ai trouvé plusieurs réponses possibles. Laquelle correspond à votre problème ?',
    en: 'I found a few possible answers. Which one matches your problem?',
  },
  noneOfThese: { fr: 'Aucune de celles-ci', en: 'None of these' },
  noAnswer: {
    fr: 'Je n’ai pas trouvé de réponse fiable à cette question. Pouvez-vous la reformuler, avec le message d’erreur exact si vous en avez un ?',
    en: 'I couldn’t find a reliable answer to that. Could you rephrase it, with the exact error message if you have one?',
  },
  offerHelp: {
    fr: 'Voulez-vous que j’ouvre un ticket au support avec votre question, ou préférez-vous parler à quelqu’un ?',
    en: 'Would you like me to open a ticket with the service desk about it, or would you rather talk to someone?',
  },
  openTicketButton: { fr: '🎫 Ouvrir un ticket', en: '🎫 Open a ticket' },
  /** The ticket module's command, followed by the question: keep it exactly so. */
  openTicketCommand: { fr: 'ouvrir un ticket : ', en: 'open a ticket: ' },
  agentButton: { fr: '👤 Parler à quelqu’un', en: '👤 Talk to someone' },
  agentCommand: { fr: 'humain', en: 'agent' },
  nothingToCancel: {
    fr: 'Rien n’est en cours, il n’y a rien à annuler. Décrivez votre problème quand vous voulez.',
    en: 'Nothing is in progress, so there is nothing to cancel. Describe your problem whenever you like.',
  },
  startOver: {
    fr: 'D’accord, on repart de zéro. Décrivez votre problème en quelques mots.',
    en: 'OK, let’s start over. Describe your problem in a few words.',
  },
  noAgentHere: {
    fr: 'Je ne peux pas joindre de technicien depuis cette discussion. Contactez le support informatique par téléphone ou par e-mail.',
    en: 'I can’t reach a technician from this chat. Please contact the IT service desk by phone or e-mail.',
  },
  chooseLanguage: {
    fr: 'Langue / Language',
    en: 'Language / Langue',
  },
} satisfies TextTable;
