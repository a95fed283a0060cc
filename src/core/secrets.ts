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

interface Rule {
  kind: SecretKind;
  pattern: RegExp;
  /** Index of the group holding the secret (the rest of the match is kept); 0 masks the whole match. */
  group: number;
  /** Extra check on the captured value; `after` is the text that follows the match. */
  accept?: (value: string, after: string) => boolean;
}

// Cue words. "code" alone is too common ("code erreur 809"): a one-time code needs a word that says so.
/** Horizontal white space: a cue and its value are on one line. */
const S = String.raw`[^\S\n]`;
const PASSWORD_CUE = String.raw`(?:mots?${S}+de${S}+passe|mdp|password|passwd|pwd|passphrase|passcode|pin)`;
/** Up to two words between the cue and its verb: « mot de passe Windows est … », "password for the VPN is …". */
const BETWEEN = String.raw`(?:${S}+[\p{L}\d-]{1,20}){0,2}?`;
const OTP_CUE = String.raw`(?:code${S}+(?:re[çc]u|de${S}+v[ée]rification|de${S}+validation|de${S}+confirmation|sms|otp|mfa|2fa|authenticator|à${S}+usage${S}+unique|temporaire)|otp|one(?:-|${S})time${S}+(?:pass)?code|verification${S}+code|security${S}+code|confirmation${S}+code|sms${S}+code|(?:2fa|mfa|authenticator)${S}+code|code${S}+(?:i${S}+)?(?:got|received))`;
/** How a code came, between its cue and its value: « code reçu par SMS : … », "code sent by text: …". */
const HOW = String.raw`(?:${S}+(?:par|by|via|sur|on|in)${S}+(?:mon${S}+|my${S}+|le${S}+|the${S}+)?\p{L}{2,12})?`;
// What joins the cue to the value: "est", "c'est", "is", ":", "=", "it's", "sera", "was", "de", "→"…
const JOIN = String.raw`(?:${S}*(?:[:=→]+|-*>|(?<=${S})-+(?=${S})|\bis\b|\bwas\b|\best\b|\bc['’]est\b|\bc${S}+est\b|\bsera\b|(?<!\p{L})[ée]tait\b|\bit['’]?s\b)${S}*)+`;

/** Words after a cue that are no value: « mon mot de passe est oublié », "my password is expired". */
const NOT_A_VALUE = new Set(
  [
    'oublié', 'oublie', 'oubliée', 'expiré', 'expire', 'expirée', 'bloqué', 'bloque', 'verrouillé', 'verrouille', 'faux', 'incorrect',
    'incorrecte', 'invalide', 'erroné', 'errone', 'refusé', 'refuse', 'perdu', 'changé', 'change', 'correct', 'bon', 'mauvais', 'le', 'la',
    'les', 'un', 'une', 'pas', 'plus', 'trop', 'toujours', 'encore', 'bien', 'mon', 'ma', 'mes', 'votre', 'ton', 'ta', 'quoi', 'quel',
    'quelle', 'demandé', 'demande', 'requis', 'nécessaire', 'vide', 'court', 'long', 'simple', 'complexe', 'sûr', 'sur', 'faible', 'fort',
    'forgotten', 'forgot', 'expired', 'expiring', 'locked', 'wrong', 'invalid', 'rejected', 'lost', 'changed', 'reset', 'not', 'no',
    'the', 'a', 'an', 'my', 'your', 'still', 'too', 'always', 'required', 'needed', 'empty', 'short', 'weak', 'strong', 'ok', 'okay',
    'fine', 'good', 'bad', 'correct', 'right', 'working', 'broken', 'what', 'which', 'and', 'et', 'mais', 'but', 'for', 'pour', 'de',
    'du', 'des', 'in', 'on', 'to', 'à', 'a', 'sur', 'dans', 'that', 'this', 'it', 'ça', 'ca', 'cela', 'ceci', 'qui', 'que', 'who',
    'était', 'etait', 'is', 'was', 'est', 'sera', 'will', 'be', 'been', 'being', 'also', 'aussi', 'same', 'même', 'meme', 'pareil',
    'identique', 'temporaire', 'temporary', 'provisoire', 'nouveau', 'new', 'ancien', 'old', 'actuel', 'current', 'windows', 'outlook',
    'teams', 'vpn', 'wifi', 'sms', 'mail', 'email', 'e-mail', 'portail', 'portal', 'oubli', 'reçu', 'recu', 'received', 'sent', 'envoyé',
    'envoye', 'celui', 'celle', 'différent', 'different', 'changer', 'change', 'modifier', 'saisi', 'tapé', 'entered', 'typed', 'valide', 'valid', 'périmé', 'perime', 'inconnu', 'unknown', 'accepté', 'accepte', 'accepted', 'demander', 'ask', 'asked',
  ].map((w) => w.normalize('NFC')),
);

/** A value typed after a password cue: one "word" without spaces, quotes stripped. */
const VALUE = String.raw`(["'«“‘]?)([^\s"'«»“”‘’]{3,128})`;

/** Does `value` look like a password rather than a word of the sentence? */
function passwordLike(value: string, after: string): boolean {
  const v = value.replace(/[.,;!?)]+$/, '');
  if (v.length < 4) return false;
  if (NOT_A_VALUE.has(v.toLowerCase())) return false;
  if (/^#\d+$/.test(v)) return false;
  // Digits alone are a PIN when 4–12 long.
  if (/^\d+$/.test(v)) return v.length <= 12;
  // A plain lowercase word ("soleil") is a password only as the message's last word, and not a verb form
  // ("… password is locking my account", "… password is refused, choose …", "password: enter them").
  if (/^[\p{Ll}'’-]+$/u.test(v)) return after.trim() === '' && !/(?:ed|ing|é|ée|és|ées|er|ez)$/u.test(v);
  return true;
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
      const after = (args.at(-1) as string).slice((args.at(-2) as number) + match.length);
      if (!value || value.includes(SECRET_MASK) || (rule.accept && !rule.accept(value, after))) return match;
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
