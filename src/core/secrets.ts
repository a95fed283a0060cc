/**
 * Secrets typed in chat: passwords, one-time codes, API keys and tokens are found and masked before a
 * message is stored, relayed, logged or indexed (issue #19). Pure functions, no I/O: the core masks
 * every inbound message with them, the logger every line.
 *
 * Two families of rules:
 * - **said** secrets: a cue word in French or English ("mon mdp c'est …", "my password is …",
 *   "le code reçu est …", "pwd: …", "password=…") followed by the value; the value is masked, the words
 *   kept ("mon mdp c'est [secret masqué]"), so the message still reads as a password problem;
 * - **shaped** secrets: formats that are secrets whatever is said around them (JWT, AWS access keys,
 *   GitHub and Slack tokens, bearer tokens, private key blocks, long hex or base64 strings).
 * False positives cost a user's words, so a value must look like a secret: « mot de passe oublié »,
 * « mon mot de passe a expiré », ticket numbers, error codes (0x80070005), dates and phone numbers stay.
 * A plain lowercase word after a cue and its verb (« mon mdp c'est soleil ça marche pas ») is a value
 * unless it reads as part of the sentence (`plainWordIsValue`): « mon mdp c'est quoi », « mon mot de passe
 * est trop court », "my password is being rejected" stay. Without a verb, a cue and a plain word name a
 * topic, not a value (« mdp outlook », "password reset", and so « mdp soleil »): masking them would take
 * away the word that routes the question.
 */

/** What kind of secret was seen: a password is treated as compromised (the reset is offered). */
export type SecretKind = 'password' | 'one-time-code' | 'token' | 'private-key';

/** The mark left where a secret was (same in every language: it is data, not a sentence). */
export const SECRET_MASK = '[•••]';

export interface Masked {
  text: string;
  /** The kinds seen, in order of first appearance, each once. */
  kinds: SecretKind[];
  /** The values masked, for this turn only (a one-time code the bot asked for); never stored or logged. */
  values?: string[];
}

/** Where a value was found: the rule's whole match (cue, verb and value) and the message's text around it. */
interface Around {
  match: string;
  before: string;
  after: string;
}

interface Rule {
  kind: SecretKind;
  pattern: RegExp;
  /** Index of the group holding the secret (the rest of the match is kept); 0 masks the whole match. */
  group: number;
  /** Extra check on the captured value, given the whole match and the text before and after it. */
  accept?: (value: string, around: Around) => boolean;
}

// Cue words. "code" alone is too common ("code erreur 809"): a one-time code needs a word that says so.
/** Horizontal white space: a cue and its value are on one line. */
const S = String.raw`[^\S\n]`;
const PASSWORD_CUE = String.raw`(?:mots?${S}+de${S}+passe|mdp|password|passwd|pwd|passphrase|passcode|pin|(?:mon|ton|votre|my|your)${S}+pass)`;
/** Up to two words between the cue and its verb: « mot de passe Windows est … », "password for the VPN is …". */
const BETWEEN = String.raw`(?:${S}+[\p{L}\d-]{1,20}){0,2}?`;
const OTP_CUE = String.raw`(?:code${S}+(?:re[çc]u|de${S}+v[ée]rification|de${S}+validation|de${S}+confirmation|sms|otp|mfa|2fa|authenticator|à${S}+usage${S}+unique|temporaire)|otp|one(?:-|${S})time${S}+(?:pass)?code|verification${S}+code|security${S}+code|confirmation${S}+code|sms${S}+code|(?:2fa|mfa|authenticator)${S}+code|code${S}+(?:i${S}+)?(?:got|received))`;
/** How a code came, between its cue and its value: « code reçu par SMS : … », "code sent by text: …". */
const HOW = String.raw`(?:${S}+(?:par|by|via|sur|on|in)${S}+(?:mon${S}+|my${S}+|le${S}+|the${S}+)?\p{L}{2,12})?`;
// What joins the cue to the value: "est", "c'est", "cest", "c" (SMS), "is", "'s", ":", "=", "it's", "sera",
// "was", "c'était", "→"…
const JOIN = String.raw`(?:${S}*(?:[:=→]+|-*>|(?<=${S})-+(?=${S})|\bis\b|\bwas\b|\best\b|\bc['’]est\b|\bc${S}*est\b|\bc(?=${S})|\bcé(?=${S})|\bsera\b|\bc['’]${S}*[ée]tait\b|(?<!\p{L})[ée]tait\b|\bit['’]?s\b|(?<=\p{L})['’]s\b)${S}*)+`;

/** Lower case without accents: users type « bloque » for « bloqué », "Wrong" for "wrong". */
const bare = (word: string): string =>
  word
    .toLowerCase()
    .normalize('NFD')
    .replace(/\p{M}/gu, '');

/**
 * What a password can be said to be, in French and English, which no value is: its state or quality
 * (« oublié », « trop court », "expired", "not working"). Also the test for a word *after* the one that
 * follows the cue: "my password is probably expired", « mon mdp est devenu invalide » (that word qualifies).
 */
const QUALITIES = new Set(
  [
    // French
    'oublié', 'oubliée', 'expiré', 'expirée', 'expire', 'bloqué', 'bloquée', 'bloque', 'verrouillé', 'verrouillée', 'verrouille', 'faux',
    'fausse', 'incorrect', 'incorrecte', 'invalide', 'erroné', 'erronée', 'refusé', 'refusée', 'refuse', 'rejeté', 'rejetée', 'perdu',
    'perdue', 'changé', 'changée', 'change', 'modifié', 'modifiée', 'réinitialisé', 'réinitialisée', 'correct', 'correcte', 'bon', 'bonne',
    'mauvais', 'mauvaise', 'pas', 'plus', 'trop', 'jamais', 'demandé', 'demandée', 'demande', 'requis', 'requise', 'obligatoire',
    'nécessaire', 'vide', 'court', 'courte', 'long', 'longue', 'simple', 'complexe', 'compliqué', 'sûr', 'faible', 'fort', 'forte', 'nul',
    'nulle', 'pourri', 'fini', 'mort', 'périmé', 'périmée', 'inconnu', 'inconnue', 'accepté', 'acceptée', 'accepte', 'valide', 'reconnu',
    'identique', 'pareil', 'pareille', 'même', 'différent', 'différente', 'temporaire', 'provisoire', 'sensible', 'sécurisé', 'enregistré',
    'mémorisé', 'saisi', 'tapé', 'envoyé', 'reçu', 'arrivé', 'censé', 'supposé', 'possible', 'impossible', 'ok', 'bizarre', 'secret',
    'confidentiel', 'personnel', 'perso', 'inutilisable', 'illisible', 'compromis', 'piraté', 'hacké', 'obsolète', 'vieux', 'vieille',
    'étrange', 'urgent', 'grave', 'galère', 'relou', 'chiant', 'pénible', 'écrit', 'dit', 'fait', 'mis', 'pris', 'connu', 'choisi',
    'défini', 'fourni', 'inscrit', 'ouvert', 'offert',
    // English
    'forgotten', 'forgot', 'expired', 'expiring', 'expires', 'locked', 'blocked', 'disabled', 'wrong', 'invalid', 'rejected',
    'refused', 'declined', 'denied', 'lost', 'changed', 'reset', 'not', 'never', 'no', 'too', 'required', 'needed', 'mandatory', 'empty',
    'short', 'weak', 'strong', 'fine', 'good', 'bad', 'working', 'broken', 'failing', 'valid', 'unknown', 'accepted', 'same',
    'different', 'temporary', 'case', 'sensitive', 'stuck', 'gone', 'missing', 'compromised', 'leaked', 'hacked', 'useless', 'private',
    'personal', 'longer', 'shorter', 'stronger', 'weaker', 'easy', 'hard', 'difficult', 'complicated', 'incorrect', 'unusable',
    'outdated', 'weird', 'strange', 'urgent', 'written', 'known', 'shown', 'given', 'taken', 'stolen', 'frozen', 'chosen', 'seen',
    'done', 'made', 'kept',
  ].map(bare),
);

/**
 * Words of the sentence after a cue and its verb, which no value is either: articles, pronouns,
 * prepositions, conjunctions, question words, auxiliaries, adverbs (« mon mdp c'est quoi », « le mot de
 * passe est celui de … », "my password is the same", "my password is being rejected", "my password is
 * probably…"), and what a password belongs to (« mon mot de passe est windows »). French words cut at
 * an apostrophe (« aujourd'hui », « jusqu'à ») are listed cut: a value stops at a quote.
 */
const SENTENCE_WORDS = new Set(
  [
    // French
    'le', 'la', 'les', 'un', 'une', 'des', 'du', 'de', 'au', 'aux', 'à', 'en', 'dans', 'sur', 'sous', 'pour', 'par', 'avec', 'sans', 'chez',
    'depuis', 'avant', 'après', 'pendant', 'vers', 'entre', 'selon', 'via', 'comme', 'et', 'ou', 'où', 'mais', 'donc', 'car', 'que', 'qui',
    'quoi', 'quel', 'quelle', 'quels', 'quelles', 'lequel', 'laquelle', 'comment', 'pourquoi', 'combien', 'quand', 'ça', 'cela', 'ceci',
    'cet', 'cette', 'ces', 'celui', 'celle', 'ceux', 'mon', 'ma', 'mes', 'ton', 'ta', 'tes', 'son', 'sa', 'ses', 'notre', 'nos', 'votre',
    'vos', 'leur', 'leurs', 'elle', 'nous', 'vous', 'ils', 'elles', 'moi', 'toi', 'lui', 'était', 'est', 'sera', 'sont', 'été', 'être',
    'avoir', 'avait', 'oui', 'non', 'tout', 'tous', 'toute', 'toutes', 'rien', 'quelque', 'aujourd', 'jusqu', 'quelqu', 'lorsqu',
    'puisqu', 'presque', 'très', 'assez', 'moins', 'seulement', 'juste', 'genre', 'euh', 'bref', 'svp', 'stp', 'merci', 'bonjour',
    'toujours', 'encore', 'bien', 'mal', 'déjà', 'aussi', 'également', 'vraiment', 'sûrement', 'probablement', 'apparemment',
    'visiblement', 'normalement', 'maintenant', 'désormais', 'actuellement', 'hier', 'demain', 'souvent', 'parfois', 'nimporte', 'devenu',
    'devenue', 'resté', 'restée', 'nouveau', 'nouvelle', 'ancien', 'ancienne', 'actuel', 'actuelle', 'oubli', 'changer', 'modifier',
    'demander', 'réinitialiser', 'voir', 'faire', 'dire', 'mettre', 'prendre', 'saisir', 'choisir', 'définir', 'remplir', 'écrire',
    'recevoir', 'aide', 'aidez', 'problème', 'question', 'identifiant', 'utilisateur',
    // English
    'the', 'an', 'my', 'your', 'his', 'her', 'its', 'our', 'their', 'this', 'that', 'these', 'those', 'it', 'she', 'they', 'you', 'him',
    'them', 'what', 'which', 'who', 'whom', 'whose', 'where', 'when', 'why', 'how', 'and', 'but', 'for', 'to', 'in', 'on', 'at', 'by', 'of',
    'from', 'with', 'without', 'about', 'than', 'then', 'there', 'here', 'is', 'was', 'are', 'were', 'will', 'would', 'should', 'could',
    'can', 'cannot', 'may', 'might', 'must', 'does', 'did', 'has', 'have', 'had', 'doesn', 'isn', 'wasn', 'don', 'didn', 'won', 'aren',
    'hasn', 'haven', 'be', 'been', 'being', 'getting', 'going', 'becoming', 'also', 'like', 'very', 'quite', 'pretty', 'rather', 'less',
    'more', 'most', 'all', 'any', 'some', 'every', 'each', 'none', 'nothing', 'something', 'anything', 'everything', 'yes', 'yeah', 'nope',
    'okay', 'sure', 'right', 'please', 'thanks', 'hello', 'still', 'always', 'already', 'again', 'just', 'only', 'really', 'probably',
    'apparently', 'definitely', 'suddenly', 'currently', 'now', 'maybe', 'perhaps', 'actually', 'supposed', 'meant', 'new', 'old',
    'current', 'ask', 'asked', 'sent', 'received', 'entered', 'typed', 'whatever', 'over', 'under', 'help', 'problem', 'issue',
    'question', 'check', 'see', 'use', 'try', 'type', 'enter', 'click', 'call', 'contact', 'username', 'login', 'user',
    'exactly', 'exactement', 'environ', 'around', 'approximately', 'least', 'minimum', 'maximum',
    // Numbers said in words: "my PIN is four digits", « le code pin est six chiffres ».
    'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'twelve', 'fourteen', 'sixteen', 'twenty', 'deux',
    'trois', 'quatre', 'cinq', 'sept', 'huit', 'neuf', 'douze', 'quatorze', 'seize', 'vingt',
    // Values of a configuration, not passwords: "password: null".
    'null', 'none', 'undefined', 'true', 'false', 'nil',
    // What a password belongs to
    'windows', 'outlook', 'teams', 'vpn', 'wifi', 'wi-fi', 'sms', 'mail', 'email', 'e-mail', 'portail', 'portal', 'session', 'compte',
    'account', 'messagerie', 'intranet', 'office', 'réseau', 'network',
  ].map(bare),
);

/** Words after a plain word that make it a verb with its object: "password: enter them", « mot de passe : saisissez le nouveau ». */
const OBJECTS = new Set(
  ['them', 'the', 'your', 'its', 'his', 'their', 'our', 'an', 'le', 'la', 'les', 'votre', 'vos', 'son', 'sa', 'ses', 'leur', 'leurs', 'notre', 'nos', 'un', 'une', 'des', 'you', 'vous', 'nous', 'moi'].map(bare),
);

/** Verb forms: participles and gerunds (« refusé », "rejected", "locking"), imperatives (« tapez », « saisissez-le »). */
const VERB_FORM = /(?:ed|ing|é|ée|és|ées|ez|-(?:le|la|les|moi|toi|lui|nous|vous|leur|en|y|it|them))$/u;
/** A French cue: a French infinitive after it is an instruction (« mot de passe : changer »), not a value. */
const FRENCH_CUE = /\b(?:mots?[^\S\n]+de[^\S\n]+passe|mdp|mon|ton|votre)\b/iu;

/** A value typed after a password cue: one "word" without spaces, quotes stripped. */
const VALUE = String.raw`((?:["'«“‘]${S}?)?)([^\s"'«»“”‘’]{3,128})`;

/** Does `value` look like a password rather than a word of the sentence? `match` is the cue, its verb and the value. */
function passwordLike(value: string, { match, before, after }: Around): boolean {
  const v = value.replace(/[.,;!?)]+$/, '');
  if (v.length < 4) return false;
  if (QUALITIES.has(bare(v)) || SENTENCE_WORDS.has(bare(v))) return false;
  // A ticket number, a share ("100%"): no password.
  if (/^#\d+$|^\d+%$/.test(v)) return false;
  // Digits alone are a PIN when 4–12 long.
  if (/^\d+$/.test(v)) return v.length <= 12;
  if (/^[\p{Ll}'’-]+$/u.test(v)) {
    // A cue inside an identifier ("reset-password:done", "user.password: none") names a field, not a secret.
    if (/[-.]$/.test(before)) return false;
    // Punctuation right after the value ends its clause: nothing after it can make it a word of the sentence.
    return plainWordIsValue(v.toLowerCase(), v === value ? after : '', match);
  }
  return true;
}

/**
 * A plain lowercase word after a cue and its verb (« mon mdp c'est soleil ça marche pas », "my password is
 * sunshine and…") is the password, unless it reads as part of the sentence: a verb form (« refusé »,
 * "locking"), a French infinitive after a French cue, a word qualifying the next one ("probably expired",
 * « devenu invalide »), or a verb whose object follows ("password: enter them").
 */
function plainWordIsValue(word: string, after: string, match: string): boolean {
  if (VERB_FORM.test(word)) return false;
  if (word.endsWith('er') && FRENCH_CUE.test(match)) return false;
  const next = /^[^\S\n]+([\p{L}'’-]+)/u.exec(after)?.[1];
  if (next === undefined) return true;
  const nextBare = bare(next.replace(/['’].*$/u, ''));
  return !(QUALITIES.has(nextBare) || OBJECTS.has(nextBare) || VERB_FORM.test(next.toLowerCase()));
}

/** A one-time code: 4 to 10 digits (spaces or a dash allowed inside, "482 913"), or 6–8 letters and digits. */
const CODE_VALUE = String.raw`(\d{3,5}[ -]?\d{3,5}|\d{4,10}|[A-Z0-9]{6,8})\b`;

const RULES: Rule[] = [
  // Private key blocks, whole.
  { kind: 'private-key', pattern: /-----BEGIN (?:[A-Z]+ )*PRIVATE KEY-----[\s\S]*?(?:-----END (?:[A-Z]+ )*PRIVATE KEY-----|$)/g, group: 0 },
  // JSON Web Tokens (header.payload.signature, header starts with {" → eyJ).
  { kind: 'token', pattern: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g, group: 0 },
  // AWS access key ids and secret keys after their name.
  { kind: 'token', pattern: /\b(?:AKIA|ASIA|AGPA|AIDA|AROA)[A-Z0-9]{16}\b/g, group: 0 },
  { kind: 'token', pattern: /(aws_secret_access_key\s*[:=]\s*["']?)([A-Za-z0-9/+=]{40})/gi, group: 2 },
  // GitHub (ghp_, gho_, ghu_, ghs_, ghr_, github_pat_), Slack (xoxb-, xoxp-, xoxa-, xoxr-, xoxs-, xapp-), GitLab, OpenAI-like sk-, Google API keys.
  { kind: 'token', pattern: /\b(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,})/g, group: 0 },
  { kind: 'token', pattern: /\bxox[abprs]-[A-Za-z0-9-]{10,}/g, group: 0 },
  { kind: 'token', pattern: /\bxapp-\d-[A-Za-z0-9-]{10,}/g, group: 0 },
  { kind: 'token', pattern: /\bglpat-[A-Za-z0-9_-]{20,}/g, group: 0 },
  { kind: 'token', pattern: /\bsk-[A-Za-z0-9_-]{20,}/g, group: 0 },
  { kind: 'token', pattern: /\bAIza[A-Za-z0-9_-]{35}\b/g, group: 0 },
  // "Authorization: Bearer …", "bearer …", "token: …", "api key = …", "client_secret=…".
  { kind: 'token', pattern: /(\bbearer\s+|\bauthorization\s*:\s*basic\s+)([A-Za-z0-9._~+/=-]{12,})/gi, group: 2, accept: (v) => /\d|[+/=]/.test(v) },
  {
    kind: 'token',
    pattern: /(\b(?:api[_\s-]?key|apikey|access[_\s-]?token|auth[_\s-]?token|refresh[_\s-]?token|token|client[_\s-]?secret|secret[_\s-]?key|private[_\s-]?key|cl[ée]\s+(?:d['’]\s*)?api|jeton)(?:\s*(?:[:=]|\bis\b|\best\b|\bc['’]est\b)\s*)["']?)([A-Za-z0-9._~+/=-]{8,})/gi,
    group: 2,
    accept: (v) => /\d/.test(v) && /[A-Za-z]/.test(v),
  },
  // URLs with credentials: https://user:secret@host.
  { kind: 'password', pattern: /(\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@]+:)([^\s@/]+)(@)/gi, group: 2 },
  // One-time codes after a cue: « le code reçu est 482913 », "my OTP is 123456".
  { kind: 'one-time-code', pattern: new RegExp(String.raw`(\b${OTP_CUE}${HOW}${JOIN}?${S}*)${CODE_VALUE}`, 'giu'), group: 2, accept: (v) => /\d/.test(v) },
  // Passwords after a cue: « mon mdp c'est Soleil2024! », "my password is hunter2", « pwd: X », "password=…".
  {
    kind: 'password',
    pattern: new RegExp(String.raw`(\b${PASSWORD_CUE}\b${BETWEEN}${JOIN})${VALUE}`, 'giu'),
    group: 3,
    accept: passwordLike,
  },
  // Long hex strings (32+, a key or a hash-like secret) and long base64-ish blobs with mixed classes.
  { kind: 'token', pattern: /\b[0-9a-f]{32,}\b/gi, group: 0, accept: (v) => /[a-f]/i.test(v) && /\d/.test(v) },
  { kind: 'token', pattern: /(?<![A-Za-z0-9+/=_-])[A-Za-z0-9+/_-]{40,}={0,2}(?![A-Za-z0-9+/=_-])/g, group: 0, accept: base64Like },
];

/** A long run of letters and digits with both cases and digits, not a path or a word chain. */
function base64Like(v: string): boolean {
  return /[a-z]/.test(v) && /[A-Z]/.test(v) && /\d/.test(v) && !/^[a-z-]+$/i.test(v) && !v.includes('//');
}

/**
 * Masks the secrets in `text`. The words around a secret are kept; a secret is replaced by SECRET_MASK
 * (its trailing punctuation kept: « Soleil2024! ça » → « [•••] ça »). Text without secrets is returned as is.
 */
export function maskSecrets(text: string): Masked {
  if (!text) return { text, kinds: [] };
  const kinds: SecretKind[] = [];
  const values: string[] = [];
  let out = text;
  for (const rule of RULES) {
    rule.pattern.lastIndex = 0;
    out = out.replace(rule.pattern, (...args: unknown[]) => {
      const match = args[0] as string;
      const groups = args.slice(1, -2) as Array<string | undefined>;
      const value = rule.group === 0 ? match : groups[rule.group - 1];
      const [offset, whole] = [args.at(-2) as number, args.at(-1) as string];
      const around = { match, before: whole.slice(0, offset), after: whole.slice(offset + match.length) };
      if (!value || value.includes(SECRET_MASK) || (rule.accept && !rule.accept(value, around))) return match;
      if (!kinds.includes(rule.kind)) kinds.push(rule.kind);
      values.push(value);
      if (rule.group === 0) return SECRET_MASK;
      // Keep what comes before the value (the cue) and after it, mask the value.
      const at = match.lastIndexOf(value);
      return `${match.slice(0, at)}${SECRET_MASK}${match.slice(at + value.length)}`;
    });
  }
  return { text: out, kinds, ...(values.length > 0 ? { values } : {}) };
}

/** Masks every string inside a JSON-like value (logs, card submits); other values are returned as they are. */
export function maskDeep<T>(value: T, seen: SecretKind[] = [], depth = 0): T {
  if (typeof value === 'string') {
    const masked = maskSecrets(value);
    for (const k of masked.kinds) if (!seen.includes(k)) seen.push(k);
    return masked.text as T;
  }
  if (depth > 8 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => maskDeep(v, seen, depth + 1)) as T;
  if (value instanceof Date || value instanceof Error) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = maskDeep(v, seen, depth + 1);
  return out as T;
}
