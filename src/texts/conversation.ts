/** The conversation texts of the catalogue (see index.ts): what the turn router says by itself. */
import type { TextTable } from './define.ts';

export const conversation = {
  securityPhishing: {
    fr: '⚠️ C’est un incident de sécurité, on le traite tout de suite. Maintenant : 1) changez votre mot de passe depuis un autre appareil (https://aka.ms/sspr) ; 2) si vous avez validé une demande Authenticator, dites-le à l’équipe ; 3) ne supprimez pas le mail, transférez-le à l’équipe sécurité. N’utilisez plus ce lien.',
    en: '⚠️ This is a security incident and we handle it right away. Now: 1) change your password from another device (https://aka.ms/sspr); 2) if you approved an Authenticator request, tell the team; 3) don’t delete the email, forward it to the security team. Don’t use that link again.',
  },
  securityMalware: {
    fr: '⚠️ C’est un incident de sécurité, on le traite tout de suite. Maintenant : débranchez le câble réseau et coupez le Wi-Fi du PC, ne l’éteignez pas, n’ouvrez plus de fichiers et ne branchez aucune clé USB. L’équipe sécurité va vous contacter.',
    en: '⚠️ This is a security incident and we handle it right away. Now: unplug the network cable and turn off the PC’s Wi-Fi, don’t shut it down, don’t open any more files and don’t plug in any USB drive. The security team will contact you.',
  },
  securityLostDevice: {
    fr: '⚠️ Un appareil perdu ou volé avec des données de l’entreprise est un incident de sécurité. Maintenant : si c’est un vol, déclarez-le à la police et gardez le récépissé ; changez votre mot de passe depuis un autre appareil (https://aka.ms/sspr). L’équipe sécurité va bloquer et effacer l’appareil à distance.',
    en: '⚠️ A lost or stolen device with company data is a security incident. Now: if it was stolen, report it to the police and keep the receipt; change your password from another device (https://aka.ms/sspr). The security team will lock and wipe the device remotely.',
  },
  securityMfaPrompt: {
    fr: '⚠️ Une demande Authenticator que vous n’avez pas faite veut dire que quelqu’un connaît votre mot de passe. Refusez toute demande que vous n’avez pas lancée et changez votre mot de passe maintenant depuis un appareil sûr (https://aka.ms/sspr). Si vous en avez approuvé une, dites-le à l’équipe sécurité.',
    en: '⚠️ An Authenticator request you didn’t start means someone knows your password. Deny every request you didn’t start and change your password now from a safe device (https://aka.ms/sspr). If you approved one, tell the security team.',
  },
  securityCompromised: {
    fr: '⚠️ C’est un incident de sécurité, on le traite tout de suite. Changez votre mot de passe maintenant depuis un appareil sûr (https://aka.ms/sspr) et refusez toute demande Authenticator que vous n’avez pas lancée.',
    en: '⚠️ This is a security incident and we handle it right away. Change your password now from a safe device (https://aka.ms/sspr) and deny any Authenticator request you didn’t start.',
  },
  securityTicketTitle: { fr: 'Incident de sécurité : {kind}', en: 'Security incident: {kind}' },
  securityTicketDescription: { fr: 'Signalé dans le chat : « {text} »', en: 'Reported in the chat: “{text}”' },
  securityKindPhishing: { fr: 'hameçonnage, identifiants saisis', en: 'phishing, credentials entered' },
  securityKindMalware: { fr: 'virus ou logiciel malveillant', en: 'virus or malware' },
  securityKindLostDevice: { fr: 'appareil perdu ou volé', en: 'lost or stolen device' },
  securityKindMfaPrompt: { fr: 'demande MFA inattendue', en: 'unexpected MFA request' },
  securityKindCompromised: { fr: 'compte peut-être compromis', en: 'account possibly compromised' },
  securityTicketOpened: {
    fr: 'J’ai ouvert le ticket #{number} en priorité {priority} pour l’équipe sécurité, qui vous recontacte au plus vite.',
    en: 'I opened ticket #{number} at priority {priority} for the security team, who will get back to you as soon as possible.',
  },
  securityNoDesk: {
    fr: 'Appelez tout de suite le support informatique pour qu’il prévienne l’équipe sécurité.',
    en: 'Call the IT service desk right away so that they alert the security team.',
  },
  outageNone: {
    fr: 'Aucune panne générale n’est déclarée en ce moment. Qu’est-ce qui ne marche pas chez vous ?',
    en: 'No major outage is declared right now. What isn’t working for you?',
  },
  outageList: {
    fr: 'Oui, des incidents sont en cours :\n{list}\nJe vous préviendrai quand ce sera réparé. Si votre problème est autre chose, décrivez-le-moi.',
    en: 'Yes, incidents are in progress:\n{list}\nI’ll let you know when it is fixed. If your problem is something else, describe it to me.',
  },
  outageLine: { fr: '- {title} (depuis {since})', en: '- {title} (since {since})' },
  notIt: {
    fr: 'Ce n’est pas une question informatique : pour cela, voyez {name} — {where}. Je reste là pour tout ce qui est informatique.',
    en: 'That isn’t an IT question: for that, see {name} — {where}. I’m here for anything IT.',
  },
  smalltalkHowAreYou: { fr: 'Très bien, merci ! Et vous, un souci informatique ?', en: 'Very well, thanks! And you, any IT trouble?' },
  smalltalkBot: {
    fr: 'Oui, je suis Guichet, l’assistant du support informatique (un programme, pas une personne). Si vous préférez un technicien, dites « humain ».',
    en: 'Yes, I’m Guichet, the IT service desk assistant (a program, not a person). If you’d rather have a technician, say “human”.',
  },
  smalltalkBye: { fr: 'Bonne journée ! Je reste là si besoin.', en: 'Have a good day! I’m here if you need me.' },
  smalltalkJoke: {
    fr: 'Je suis meilleur en dépannage qu’en blagues : avez-vous essayé d’éteindre et de rallumer ? 😄 Un souci informatique à régler ?',
    en: 'I’m better at fixing things than at jokes: have you tried turning it off and on again? 😄 Any IT trouble to sort out?',
  },
  smalltalkOk: { fr: 'Parfait. Autre chose ?', en: 'Great. Anything else?' },
  clarify: {
    fr: 'Je vais vous aider. Qu’est-ce qui ne marche pas ? Décrivez-le en une phrase (par exemple « Outlook ne s’ouvre plus »), ou choisissez :',
    en: 'I’ll help. What isn’t working? Describe it in one sentence (for example “Outlook won’t open”), or pick one:',
  },
  clarifyOther: { fr: 'Autre chose', en: 'Something else' },
  clarifyAgent: { fr: '👤 Parler à quelqu’un', en: '👤 Talk to someone' },
  clarifyAgentValue: { fr: 'humain', en: 'agent' },
  twoProblems: {
    fr: 'Vous signalez deux problèmes : « {first} » et « {second} ». Commençons par le premier ; redites-moi le second quand nous aurons fini.',
    en: 'You mention two problems: “{first}” and “{second}”. Let’s start with the first; tell me the second again when we are done.',
  },
  urgentNoted: {
    fr: 'Je note que c’est urgent : si nous ouvrons un ticket, il sera traité en priorité.',
    en: 'I note that this is urgent: if we open a ticket, it will be handled first.',
  },
} satisfies TextTable;
