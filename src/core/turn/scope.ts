/**
 * What a first message is when it is no IT problem to diagnose: a question
 * about outages, small talk, a request for another department (from the
 * directory of other services, config/other-services.yml), or too vague to
 * route (then Guichet asks what does not work). Patterns read folded text.
 */
import { createRequire } from 'node:module';
import type { Localized } from '../lang.ts';

/** natural's Damerau–Levenshtein distance, loaded alone (its index loads every module of the package). */
const { DamerauLevenshteinDistance } = createRequire(import.meta.url)('natural/lib/natural/distance/levenshtein_distance.js') as {
  DamerauLevenshteinDistance: (source: string, target: string, options?: { restricted?: boolean }) => number;
};

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
  return VAGUE.test(folded) || namesNoProblem(folded);
}

/** A problem named by a generic word only ("issue", "souci", "erreur"). */
const GENERIC_PROBLEM = new Set(['issue', 'issues', 'problem', 'problems', 'probleme', 'problemes', 'pb', 'pbs', 'souci', 'soucis', 'bug', 'bugs', 'error', 'errors', 'erreur', 'erreurs', 'panne', 'truc', 'thing']);

/**
 * Words that say when, again or whose, and nothing of what ("same issue as yesterday", "toujours le même souci
 * qu'hier", "still having the problem from before", "le problème est revenu", "the issue is back").
 */
const FILLER = new Set(
  (
    "a an the same this that it it's its is was still again another also as from than like before yesterday earlier last time week " +
    "morning today since ago i i'm im i've ive have has had having got getting get my me we our there one please pls help with " +
    "and or of on in le la les l' un une des du de d' meme memes que qu' qu'hier hier avant encore toujours j j'ai jai ai eu moi " +
    "mon ma mes ce cet cette matin fois derniere dernier tout l'heure depuis c'est cest il y est refait revient recommence stp svp " +
    'aide et ou avec comme revenu revenue reapparu back came come comes returned persiste persists'
  ).split(' '),
);

/** Only generic problem words and fillers, with at least one of the former: nothing says what does not work. */
function namesNoProblem(folded: string): boolean {
  const words = folded.replace(/[?!]/g, ' ').split(' ').filter(Boolean);
  return words.some((w) => GENERIC_PROBLEM.has(w)) && words.every((w) => GENERIC_PROBLEM.has(w) || FILLER.has(w));
}

/** A word no language knows: only consonants, or a keyboard row; a misspelt IT word ("passwrd") is not one. */
export function isGibberish(folded: string): boolean {
  const words = folded.split(' ').filter((w) => w.length > 0);
  if (words.length === 0) return true;
  const odd = words.filter((w) => (/^(?:[^aeiouy\d]{4,}|asdf\w*|qwer\w*|azer\w*|qsd\w*|\?+)$/.test(w) || /[^aeiouy\s]{5,}/.test(w)) && !nearItWord(w));
  return odd.length / words.length >= 0.5;
}

/**
 * Words that make a message an IT one even when another department is named ("le badge de l'imprimante", "video call
 * from the meeting room", "missed calls don't leave a message"), matched as whole words, in any of their English
 * forms ("emails", "emailing"); `*` ends a stem ("imprim*": "imprimante", "imprimer").
 */
const IT_WORDS = [
  'imprimante', 'imprim*', 'impression', 'impressions', 'printer', 'print*', 'copieur', 'copieuse', 'copier', 'photocopi*', 'scan*', 'numeris*',
  'digitis*', 'digitiz*', 'canon', 'hdmi', 'projeter', 'pc', 'ordi', 'ordinateur', 'laptop', 'computer', 'ecran', 'screen', 'monitor', 'display',
  'affichage', 'outlook', 'mail', 'email', 'e-mail', 'vpn', 'wifi', 'wi-fi', 'wireless', 'sans fil', 'internet', 'mot de passe', 'mdp', 'password',
  'pw', 'pwd', 'passwd', 'licence', 'license', 'messagerie', 'boite aux lettres', 'mailbox', 'inbox', 'voicemail', 'voice mail', 'repondeur',
  'informatique', 'teams', 'slack', 'zoom', 'logiciel', 'software', 'program', 'programme', 'application', 'appli', 'app', 'sap', 'compte',
  'account', 'reseau', 'network', 'sharepoint', 'onedrive', 'authenticator', 'mfa', 'camera', 'webcam', 'micro', 'clavier', 'keyboard', 'souris',
  'mouse', 'casque', 'headset', 'dock', 'usb', 'iphone', 'phone', 'telephone', 'projecteur', 'projector', 'visio', 'video', 'video call',
  'missed call', 'equipment', 'materiel informatique', 'file', 'fichier', 'fichiers', 'data', 'donnees',
];
const escape = (w: string) => w.replace(/[-.]/g, '\\$&').replace(/\*$/, '\\w*');
const IT_PATTERN = new RegExp(`\\b(?:${IT_WORDS.map((w) => (w.endsWith('*') ? escape(w) : `${escape(w)}(?:s|es|ing|ed)?`)).join('|')})\\b`);
/** The whole IT words of 6 letters or more, which a typo of one letter still names ("pasword", "outlok"). */
const LONG_IT_WORDS = IT_WORDS.filter((w) => /^[a-z]{6,}$/.test(w));

/**
 * Whether a word is one of the long IT words with one letter wrong, missing, added or two swapped inside it: the
 * first and last letters stay, which keeps words of their own apart ("acompte" is not "compte", "interne" is not
 * "internet", "copie" is not "copier").
 */
function nearItWord(word: string): boolean {
  if (word.length < 5) return false;
  return LONG_IT_WORDS.some((w) => w[0] === word[0] && w.at(-1) === word.at(-1) && Math.abs(w.length - word.length) <= 1 && DamerauLevenshteinDistance(word, w, { restricted: true }) <= 1);
}

/** Whether a message names an IT tool (IT_WORDS), a long one possibly misspelt by one letter. */
function namesIt(plain: string): boolean {
  return IT_PATTERN.test(plain) || plain.split(' ').some(nearItWord);
}

/** The other department the message is for, if any (and it names no IT tool). */
export function otherServiceFor(folded: string, directory: readonly OtherService[]): OtherService | undefined {
  const words = (t: string) => t.replace(/['?]+/g, ' ').replace(/\s+/g, ' ').trim();
  const plain = words(folded);
  if (namesIt(plain)) return undefined;
  const padded = ` ${plain} `;
  return directory.find((s) => s.keywords.some((k) => padded.includes(` ${words(k)} `)));
}
