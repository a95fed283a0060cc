/**
 * What a first message is when it is no IT problem to diagnose: a question
 * about outages, small talk, a request for another department (from the
 * directory of other services, config/other-services.yml), or too vague to
 * route (then Guichet asks what does not work). Patterns read folded text.
 */
import type { Localized } from '../lang.ts';

/** A service of the company that is not IT, and where to go for it. */
export interface OtherService {
  id: string;
  name: Localized;
  where: Localized;
  /** Folded words or phrases, any language, matched as whole words. */
  keywords: string[];
}

const OUTAGE =
  /\b(?:panne|pannes|incident|incidents|souci|probleme)s? (?:en cours|en ce moment|generale?|global|connue?s?|majeur|aujourd'hui)\b|\b(?:outage|outages|ongoing incidents?|known issues?|major incident)\b|\bis (?:\w+ )?(?:down|broken) (?:for everyone|right now)\b|^is (?:\w+ ){0,2}down\b|\b(?:c'est moi ou|is it just me)\b|\ben panne pour tout le monde\b|\bsomething down\b|\b(?:est|sont) (?:en panne|down|hs) ?\?$/;

/** "Is there an outage?", "is Teams down for everyone?". */
export function asksAboutOutage(folded: string): boolean {
  return OUTAGE.test(folded) && folded.split(' ').length <= 14;
}

export type SmallTalk = 'how-are-you' | 'bot' | 'bye' | 'joke' | 'ok';

const SMALL_TALK: [RegExp, SmallTalk][] = [
  [/^(?:(?:bonjour|salut|hello|hi|hey) )?(?:ca va|comment ca va|comment vas tu|comment allez vous|tu vas bien|how are you|how are you doing|how's it going|hows it going|you ok)(?: \?)?$/, 'how-are-you'],
  [/^(?:tu es|t'es|es tu|vous etes|are you|r u)(?: un| une| a)? (?:robot|bot|humain|human|ia|ai|vraie personne|real person|machine)(?: \?)?$|^(?:t'es qui|tu es qui|qui es tu|qui etes vous|who are you|what are you)(?: toi)?(?: \?)?$/, 'bot'],
  [/^(?:(?:ok |merci )?(?:thanks |thank you )?(?:au revoir|bye|goodbye|bye bye|a plus|a\+|ciao|bonne journee|bonne soiree|bonne fin de journee|have a nice day|see you|see ya|cheers)(?: merci| thanks| a toi| a vous)?(?: \?)?)$|^(?:ok )?(?:merci|thanks),? (?:bonne journee|bonne soiree|bye|au revoir)$|^ok thanks bye$/, 'bye'],
  [/\b(?:blague|joke|raconte moi)\b/, 'joke'],
  [/^(?:ok|okay|d'accord|ok super|super|cool|parfait|top|nickel|ok merci|ok thanks|ok cool|ca roule|great|alright)(?: \?)?$/, 'ok'],
];

export function smallTalk(folded: string): SmallTalk | undefined {
  return SMALL_TALK.find(([pattern]) => pattern.test(folded))?.[1];
}

const VAGUE =
  /^(?:(?:bonjour|salut|hello|hi)\s)?(?:(?:j'ai|jai|i have|i've got|got) (?:un|une|a|an) (?:souci|probleme|soucis|issue|problem|bug|question)|(?:ca|sa|it|this) (?:ne )?(?:marche|fonctionne|works?|doesn't work|does not work|doesnt work|won't work)(?: pas| plus)?|probleme|problem|issue|bug|souci|panne|c'est casse|casse|broken|rien ne (?:marche|fonctionne)|plus rien ne (?:marche|fonctionne)|nothing works|(?:j'ai |jai )?besoin d'aide|i need help|need help|help (?:me|moi)(?: stp| svp| please)?.*|aidez moi|au secours|sos)(?: \?| !)?$/;

/** A message that names no problem at all ("ça marche pas", "j'ai un souci", "help"). */
export function isVague(folded: string): boolean {
  return VAGUE.test(folded);
}

/** A word no language knows: only consonants, or a keyboard row. */
export function isGibberish(folded: string): boolean {
  const words = folded.split(' ').filter((w) => w.length > 0);
  if (words.length === 0) return true;
  const odd = words.filter((w) => /^(?:[^aeiouy\d]{4,}|asdf\w*|qwer\w*|azer\w*|qsd\w*|\?+)$/.test(w) || /[^aeiouy\s]{5,}/.test(w));
  return odd.length / words.length >= 0.5;
}

/** Words that make a message an IT one even when another department is named ("le badge de l'imprimante"). */
const IT_WORDS =
  /\b(?:imprimante|imprim\w*|impressions?|printer|print\w*|copieur|copieuse|copier|photocopi\w*|scan\w*|numeris\w*|canon|hdmi|projeter|pc|ordi|ordinateur|laptop|computer|ecran|screen|monitor|outlook|mail|email|vpn|wifi|wi-fi|wireless|sans fil|internet|mot de passe|mdp|password|pwd?|passwd|licence|license|messagerie|boite aux lettres|mailbox|inbox|voicemail|informatique|teams|slack|zoom|logiciel|software|application|appli|app|sap|compte|account|reseau|network|sharepoint|onedrive|authenticator|mfa|camera|webcam|micro|clavier|keyboard|souris|mouse|casque|headset|dock|usb|iphone|projecteur|projector|visio)\b/;

/** The other department the message is for, if any (and it names no IT tool). */
export function otherServiceFor(folded: string, directory: readonly OtherService[]): OtherService | undefined {
  const words = (t: string) => t.replace(/['?]+/g, ' ').replace(/\s+/g, ' ').trim();
  const plain = words(folded);
  if (IT_WORDS.test(plain)) return undefined;
  const padded = ` ${plain} `;
  return directory.find((s) => s.keywords.some((k) => padded.includes(` ${words(k)} `)));
}
