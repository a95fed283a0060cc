/**
 * Safety comes before guides and articles: a security incident told in the
 * user's words (credentials typed on a phishing page, a malware alert, a lost
 * or stolen device with company data, an Authenticator request nobody asked
 * for, an account used by someone else), and the cues that make any problem
 * urgent (a meeting in minutes, a whole team blocked, an executive). Patterns
 * read the folded text (lower case, no accents, see commands.ts `fold`).
 */
export type SecurityKind = 'phishing' | 'malware' | 'lost-device' | 'mfa-prompt' | 'compromised';

const CREDENTIALS = "(?:mot de passe|mots de passe|mdp|identifiants?|login|code|codes|password|credentials|pwd)";
const PHISHING = new RegExp(
  [
    `\\b(?:phishing|hameconnage|phishe|phished|fishing)\\b`,
    `\\b(?:clique|cliquer|click(?:ed)?|ouvert|opened)\\b.*\\b(?:lien|link)\\b.*\\b(?:tape|saisi|rentre|entre|donne|typed|entered|gave|put in)\\b`,
    `\\b(?:tape|saisi|rentre|entre|donne|typed|entered|gave)\\b.*\\b(?:mon|mes|my)? ?${CREDENTIALS}\\b.*\\b(?:faux|fake|bizarre|suspect\\w*|weird|strange|pirate)\\b`,
    `\\b(?:faux|fake|bizarre|suspect\\w*|weird)\\b.*\\b(?:site|page|mail|email|lien|link)\\b.*\\b(?:tape|saisi|rentre|entre|donne|typed|entered|gave)\\b`,
    `\\b(?:soi ?disant|pretend\\w*|claiming)\\b.*\\b(?:support|helpdesk|it)\\b.*\\b(?:donne|gave|dit|told)\\b`,
  ].join('|'),
);
const MALWARE =
  /\b(?:virus|malware|malveillant|trojan|cheval de troie|ransomware|rancon|ransom|rancongiciel|infecte|infected|spyware|keylogger|hacker a pris|prise de controle|takes? control)\b|\.locked\b|\b(?:fichiers|files)\b.*\b(?:chiffres|encrypted|cryptes)\b|\b(?:antivirus|defender)\b.*\b(?:alerte|alert|menace|threat|trouve|found|detecte|detected|says|dit|affiche)\b|\bpiece jointe suspecte\b.*\b(?:bizarre|trucs|weird)\b|\bsuspicious attachment\b/;
const DEVICE = '(?:pc|ordi|ordinateur|portable|laptop|computer|telephone|tel|phone|iphone|smartphone|mobile|tablette|tablet|ipad|cle usb|usb stick|macbook)';
const LOST_DEVICE = new RegExp(
  [
    `\\b(?:vole|volee|voler|stolen|perdu|perdue|egare|lost|left)\\b.{0,40}\\b${DEVICE}\\b`,
    `\\b${DEVICE}\\b.{0,40}\\b(?:vole|volee|stolen|perdu|perdue|egare|lost|was stolen|a ete vole)\\b`,
    `\\b(?:on m'a vole|someone stole|got stolen)\\b`,
  ].join('|'),
);
const MFA_PROMPT =
  /\b(?:demandes?|notifs?|notifications?|prompts?|requests?|validations?)\b.{0,40}\b(?:authenticator|mfa|2fa|double authentification)\b.{0,60}\b(?:pas demande|pas demandee|n'ai pas demande|didn't ask|did not ask|not me|wasn't me|sans rien faire|alors que je ne|while i'm not|i didn't request|that i didn't)\b|\b(?:mfa|authenticator)\b.{0,30}\b(?:que je n'ai pas demande\w*|i didn't ask for|i did not ask for)\b|\b(?:approuve|approved|valide|accepted)\b.{0,60}\b(?:pas moi|wasn't me|not me|pas demande\w*|didn't ask|n'etait pas moi)\b/;
const COMPROMISED =
  /\b(?:pirate|piratee|pirater|hacke|hacked|hacker|compromis|compromised)\b|\b(?:connecte|logged|signed|sign in|connexion)\b.{0,40}\b(?:a|to|into|sur)? ?(?:mon|my) (?:compte|account)\b.{0,40}\b(?:etranger|another country|abroad|inconnu|unknown|pas moi|not me)\b/;

/** The security incident the message reports, if any (the most specific first). */
export function securityIncident(folded: string): SecurityKind | undefined {
  if (MFA_PROMPT.test(folded)) return 'mfa-prompt';
  if (PHISHING.test(folded)) return 'phishing';
  if (MALWARE.test(folded)) return 'malware';
  // "perdu authenticator après avoir réinitialisé mon téléphone" is an MFA problem, not a lost device.
  const notDevice = /\b(?:mot de passe|mdp|password|badge)\b/.test(folded) || (/\b(?:authenticator|mfa)\b/.test(folded) && !/\b(?:vol\w*|stolen)\b/.test(folded));
  if (LOST_DEVICE.test(folded) && !notDevice) return 'lost-device';
  if (COMPROMISED.test(folded)) return 'compromised';
  return undefined;
}

const URGENCY: [RegExp, string][] = [
  [/\b(?:urgent|urgence|urgently|asap|au plus vite|tout de suite|immediately|emergency)\b|!!!/, 'urgent word'],
  [/\bdans (?:\d+|deux|cinq|dix|quelques) ?(?:min|mins|minutes?|mn)\b|\bdans un quart d'heure\b|\bin (?:\d+|two|five|ten|a few) ?(?:min|mins|minutes?)\b/, 'deadline in minutes'],
  [/\b(?:toute l'equipe|toute mon equipe|tout le service|tout l'etage|tout le monde|plus personne|tous les collegues|\d+ personnes|whole team|entire team|entire floor|whole floor|everyone|nobody can|all of us|\d+ people)\b/, 'many people blocked'],
  [/\b(?:dg|pdg|ceo|cfo|coo|directeur general|directrice generale|president|presidente|comite de direction|codir|comex|board|executive|vip)\b/, 'executive'],
  [/\b(?:client attend|client waiting|en direct|live demo|presentation client|je presente|presenting)\b/, 'client waiting'],
];

/** Why the message is urgent, or undefined. */
export function urgencyCue(folded: string): string | undefined {
  return URGENCY.find(([pattern]) => pattern.test(folded))?.[1];
}

const COMPLAINT = new RegExp(
  [
    // "c'est la troisième fois", "3e fois que j'appelle", "for the third time"
    `\\b(?:c'est la|ca fait|pour la|la) (?:deuxieme|troisieme|quatrieme|cinquieme|enieme|\\d+e|\\d+eme|ixieme) fois\\b`,
    `\\b(?:for the|it's the|this is the) (?:second|third|fourth|fifth|umpteenth|\\d+(?:nd|rd|th)) time\\b`,
    // "personne ne fait rien", "personne ne me répond", "nobody is doing anything"
    `\\bpersonne ne (?:fait|bouge|repond|me repond|rappelle|me rappelle|s'en occupe|s'occupe|traite|regarde)\\b`,
    `\\b(?:nobody|no one|noone) (?:is doing|does|did|has done|answers|answered|replies|replied|called me back|calls back|is looking|looked|cares|is handling)\\b`,
    // "toujours pas de réponse à mon ticket", "still no answer", "ça fait deux semaines que j'attends"
    `\\b(?:toujours|encore) (?:aucune|pas de|pas la moindre) (?:reponse|nouvelle|nouvelles|retour|solution)\\b`,
    `\\bstill (?:no|not any|haven't (?:had|got|heard)) (?:answer|response|reply|update|news|solution|word)\\b`,
    `\\b(?:ca|cela) fait (?:\\d+|deux|trois|quatre|plusieurs|des) (?:jours|semaines|mois) que j'attends\\b|\\bi(?:'ve| have) been waiting (?:for )?(?:\\d+|two|three|several|many) (?:days|weeks|months)\\b`,
    // anger and conflict words
    `\\b(?:inadmissible|inacceptable|scandaleux|honteux|c'est une honte|ras le bol|j'en ai marre|j'en ai ras|foutage de gueule|se fout de moi|unacceptable|ridiculous|fed up|sick and tired|outrageous|disgrace)\\b`,
    `\\b(?:je veux|j'exige|je demande a) (?:parler|voir|joindre) (?:a |au |un |le |votre )?(?:responsable|manager|chef|superieur)\\b|\\b(?:speak|talk) to (?:a|the|your) (?:manager|supervisor|boss)\\b`,
    `\\b(?:porter plainte|faire une reclamation|deposer une reclamation|je me plains|formal complaint|file a complaint|make a complaint)\\b`,
  ].join('|'),
);

/** A complaint or conflict ("c'est la troisième fois…", "personne ne fait rien", "nobody answers"). */
export function isComplaint(folded: string): boolean {
  return COMPLAINT.test(folded);
}
