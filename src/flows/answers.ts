/**
 * Reading what the user typed (or the value of the button they pressed) as a
 * slot value. Every parser is forgiving about case, accents and a few extra
 * words ("oui c'est ça", "erreur 809", "c'est le lt-004211"), and returns
 * null when it cannot tell: the engine then re-asks, it never guesses.
 */
import { fold } from '../core/commands.ts';
import type { SlotDef } from './schema.ts';
import type { Asset, SlotValue } from './types.ts';

/** The value an optional slot holds when the user does not know. */
export const NONE = 'none';

// Folded (no accents, lower case) whole-message forms.
const YES = new Set([
  'yes', 'y', 'yeah', 'yep', 'yup', 'sure', 'ok', 'okay', 'correct', 'right', 'indeed', 'of course', 'absolutely',
  'oui', 'o', 'ouais', 'ouai', 'oui oui', 'si', 'exact', 'exactement', 'absolument', 'bien sur', 'tout a fait', "d'accord", 'dac', 'ok merci',
  'oui merci', 'yes thanks', 'yes thank you', "c'est bon", "c'est regle", "c'est ca", 'ca marche', 'ca fonctionne', 'ca remarche', 'regle', 'resolu',
  'it works', 'works', 'working', 'fixed', 'solved', 'all good', "that's it", 'that is it', "yes it's fixed", "yes it's working", "oui c'est regle",
  'oui ca marche', 'oui ca fonctionne', 'yes it works', "yes that's it", "oui c'est ca",
  'c bon', 'cbon', "c'est ok", 'ouaip', 'ouep', 'ui', 'wi', 'carrement', 'affirmatif', 'yes yes', 'yea', 'ya', 'yass', 'yup thanks',
  'nickel', 'parfait', 'top', 'super', 'genial', 'great', 'perfect', 'awesome', 'it worked', 'that worked', 'worked', 'ca a marche',
  "c'est repare", 'ca remarche merci', 'ca marche merci', 'oui merci beaucoup', 'yes it does', 'yes it is', 'yes i can', 'oui je peux', 'oui j\'y arrive',
  "c'est good", 'all fixed', 'sorted', 'tout marche', 'tout fonctionne', 'ca refonctionne',
]);
const NO = new Set([
  'no', 'n', 'nope', 'nah', 'not really', 'not yet', 'no still broken', 'still broken', 'still not', 'still not working', "doesn't work",
  "it doesn't work", 'not working', 'not fixed', 'non', 'nan', 'pas du tout', 'pas vraiment', 'pas encore', 'toujours pas', 'non toujours pas',
  'ca marche pas', 'ca ne marche pas', 'ca ne marche toujours pas', 'ca ne fonctionne pas', 'ca ne fonctionne toujours pas', 'toujours en panne',
  'non merci', 'no thanks', 'jamais', 'never', "c'est autre chose", "it's something else", 'something else', 'autre chose',
  'negatif', 'nope still', 'still nothing', 'toujours rien', 'rien a faire', 'pas mieux', 'no it does not', "no it doesn't", 'no it is not', "no i can't",
  "non j'y arrive pas", 'non je ne peux pas', 'pas moyen', 'niet', 'non plus', 'ca ne marche toujours pas', 'nop', 'nan toujours pas', 'pareil',
  'c toujours pas bon', "c'est toujours pas bon", 'toujours pas bon', 'no luck', 'still the same', 'same problem', 'meme probleme',
]);
const DONT_KNOW = new Set([
  'none', 'no idea', "i don't know", 'dont know', "don't know", 'idk', 'not sure', 'no code', 'no error', 'no error code', 'no message', 'unknown', 'n/a', 'na',
  'aucun', 'aucune', 'je ne sais pas', 'je sais pas', 'sais pas', 'jsp', 'ne sais pas', 'aucune idee', 'pas de code', 'pas de message',
  "pas d'erreur", 'pas de code erreur', "pas de code d'erreur", 'inconnu', 'rien',
]);

/** yes / no / null for anything else; "oui mais ça ne marche pas" is not a clear answer. */
export function parseYesNo(text: string): 'yes' | 'no' | null {
  const f = fold(text).replace(/[?]+$/, '').trim();
  if (YES.has(f)) return 'yes';
  if (NO.has(f)) return 'no';
  const words = f.split(' ');
  const first = words[0] ?? '';
  const negated = /\b(?:pas|not|no|non|never|jamais|toujours|still|doesnt|didnt|isnt|cant)\b|n't\b/.test(words.slice(1).join(' '));
  if (['oui', 'yes', 'yeah', 'yep', 'ouais', 'ok', 'ouaip', 'yup', 'nickel', 'parfait', 'perfect', 'great', 'super'].includes(first)) return negated ? null : 'yes';
  if (['non', 'no', 'nope', 'nan', 'nop', 'niet', 'negatif'].includes(first)) return 'no';
  if (/^(?:toujours pas|still not|still no|pas encore|not yet|c toujours pas|toujours le meme)\b/.test(f)) return 'no';
  return null;
}

export function isDontKnow(text: string): boolean {
  return DONT_KNOW.has(fold(text));
}

const DEFAULT_ASSET_TAG = '[A-Z]{2,4}-\\d{4,8}';
/** Hex codes, vendor codes (AADSTS50076, CAA20003, E-404) and plain numbers of 2 to 6 digits, in this order. */
const ERROR_CODES = [/\b0x[0-9a-f]{4,8}\b/i, /\b[a-z]{1,10}[-_]?\d{2,8}\b/i, /\b\d{2,6}\b/];
const EMAIL = /[^\s@<>()"',;:]+@[^\s@<>()"',;:]+\.[a-z]{2,}/i;

export interface AnswerContext {
  /** The user's assets, to match an asset-tag answer by name ("my Latitude"). */
  assets: readonly Asset[];
}

/** The slot value in `text`, or null when the answer does not fit the slot. */
export function parseAnswer(def: SlotDef, text: string, ctx: AnswerContext): SlotValue | null {
  const raw = text.trim();
  if ('optional' in def && def.optional && isDontKnow(raw)) return NONE;
  switch (def.type) {
    case 'yes-no':
      return parseYesNo(raw);
    case 'choice':
      return parseChoice(def.options, raw);
    case 'text':
      return raw.length >= def.min && raw.length <= def.max ? raw : null;
    case 'email':
      return raw.match(EMAIL)?.[0].toLowerCase() ?? null;
    case 'number':
      return parseNumber(raw, def.min, def.max);
    case 'error-code':
      return def.pattern ? firstMatch(raw, new RegExp(def.pattern, 'iu')) : firstOf(raw, ERROR_CODES);
    case 'asset-tag': {
      const tag = firstMatch(raw, new RegExp(stripAnchors(def.pattern ?? DEFAULT_ASSET_TAG), 'iu'))?.toUpperCase();
      if (tag) return tag;
      return assetByName(ctx.assets.filter((a) => !def.kind || a.kind === def.kind), raw);
    }
  }
}

/**
 * The one asset whose name shares the most distinctive words with the text
 * ("le latitude 7440" picks the Latitude 7440 over the Latitude 5440; words
 * every candidate has do not count). Null when none or a tie.
 */
function assetByName(assets: readonly Asset[], text: string): string | null {
  const words = (s: string) => new Set(fold(s).split(' ').filter((w) => w.length >= 2));
  const said = words(text);
  const names = assets.map((a) => words(a.name));
  const common = (w: string) => assets.length > 1 && names.every((n) => n.has(w));
  const scores = names.map((n) => [...said].filter((w) => n.has(w) && !common(w)).length);
  const best = Math.max(0, ...scores);
  const winners = assets.filter((_, i) => scores[i] === best);
  return best > 0 && winners.length === 1 ? (winners[0]?.tag ?? null) : null;
}

/**
 * An option by its value, its label in either language or one of its `also`
 * words: the whole message first, then the one option whose words appear in it;
 * a bare number picks the option by position (channels that number buttons).
 */
function parseChoice(options: Record<string, { fr: string; en: string; also?: string[] }>, text: string): string | null {
  const f = fold(text);
  const entries = foldedForms(options);
  const exact = entries.find(([, forms]) => forms.includes(f));
  if (exact) return exact[0];
  if (/^\d{1,2}$/.test(f)) return entries[Number(f) - 1]?.[0] ?? null;
  const padded = ` ${f} `;
  const within = entries.filter(([, forms]) => forms.some((form) => form.length >= 3 && padded.includes(` ${form} `)));
  return within.length === 1 ? (within[0]?.[0] ?? null) : null;
}

const folded = new WeakMap<object, Array<[value: string, forms: string[]]>>();

/** Each option's value, labels and `also` words, folded once per loaded flow (folding them at every answer was ~1 % of a bench:turn server's time). */
function foldedForms(options: Record<string, { fr: string; en: string; also?: string[] }>): Array<[value: string, forms: string[]]> {
  let entries = folded.get(options);
  if (!entries) folded.set(options, (entries = Object.entries(options).map(([value, o]) => [value, [value, o.fr, o.en, ...(o.also ?? [])].map(fold)])));
  return entries;
}

function parseNumber(text: string, min?: number, max?: number): number | null {
  const m = text.match(/-?\d+(?:[.,]\d+)?/);
  if (!m) return null;
  const n = Number(m[0].replace(',', '.'));
  if ((min !== undefined && n < min) || (max !== undefined && n > max)) return null;
  return n;
}

function firstOf(text: string, patterns: RegExp[]): string | null {
  for (const p of patterns) {
    const found = firstMatch(text, p);
    if (found) return found;
  }
  return null;
}

/** The first match of a pattern, searched anywhere in the text (anchors of a whole-value pattern are dropped). */
function firstMatch(text: string, pattern: RegExp): string | null {
  const unanchored = new RegExp(stripAnchors(pattern.source), pattern.flags);
  return text.match(unanchored)?.[0] ?? null;
}

function stripAnchors(source: string): string {
  return source.replace(/^\^/, '').replace(/\$$/, '');
}
