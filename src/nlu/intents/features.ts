/**
 * From a chat message to the string features the intent model weighs.
 *
 * 1. Words: NFKC, lower case, one apostrophe; French elision removed
 *    ("l'imprimante" → "imprimante"), English contractions expanded to the
 *    negation they carry ("can't" → "can not", "doesn't" → "does not"),
 *    other clitics dropped ("it's" → "it"); hyphenated words give the joined
 *    form and the parts ("wi-fi" → "wifi", "wi", "fi").
 * 2. Accents folded *before* stemming, so that "oublié" and "oublie" (typed
 *    without accent) give the same stem; then Porter stemming in the
 *    message's language (natural's English and French stemmers).
 * 3. Features: stemmed words (`w:`), pairs of adjacent stemmed words (`b:`),
 *    and character n-grams of each folded, unstemmed word with its boundaries
 *    (`c:`; " imp", "impr"…). Character n-grams make typos ("imprimnte",
 *    "pasword") and unknown inflections still share most features with the
 *    training words, and do not depend on the language.
 */
import type { Lang } from '../../core/lang.ts';
import { STEMMERS, STOP_WORDS } from './natural-stemmers.ts';

export interface FeatureOptions {
  /** Longest word n-gram: 1 = stems only, 2 = stems and adjacent pairs. Default 2. */
  wordNgrams: number;
  /** Character n-gram lengths inside words, inclusive; [0, 0] turns them off. Default [2, 5]. */
  charNgrams: readonly [number, number];
  /** Drop natural's stop words (word features and character n-grams). Default false. */
  dropStopWords: boolean;
}

export const DEFAULT_FEATURE_OPTIONS: FeatureOptions = { wordNgrams: 2, charNgrams: [2, 5], dropStopWords: false };

/**
 * The features of one text as 30-bit hashes (FNV-1a of the feature's
 * characters), in two blocks weighted and normalised separately. Hashing the
 * character n-grams from the character codes, without building their
 * strings, makes featurising banking77's 10,000 texts several times faster;
 * collisions among a few tens of thousands of features are rare and
 * deterministic.
 */
export interface TextFeatures {
  words: number[];
  chars: number[];
}

const APOSTROPHES = /[’‘ʼ`´]/g;
const TOKEN = /[\p{L}\p{N}]+(?:['-][\p{L}\p{N}]+)*/gu;
const ELISION = /^(?:l|d|j|qu|n|m|t|s|c|jusqu|lorsqu|puisqu|quoiqu)'(?=[\p{L}\p{N}])/u;
const NEGATION = /n't$/;
const IRREGULAR_NEGATION: Record<string, string> = { ca: 'can', wo: 'will', sha: 'shall' };
const CLITIC = /'(?:s|re|ve|ll|d|m)$/;
const HAS_DIGIT = /\d/;
const ASCII = /^[\x00-\x7f]*$/;

/** Removes diacritics and splits ligatures: "réseau bloqué œuvre" → "reseau bloque oeuvre". */
export function fold(word: string): string {
  if (ASCII.test(word)) return word;
  return word.normalize('NFD').replace(/\p{M}/gu, '').replace(/œ/g, 'oe').replace(/æ/g, 'ae').replace(/ß/g, 'ss');
}

/** Lower-case folded words of `text`, elision removed and contractions expanded. */
export function words(text: string): string[] {
  const out: string[] = [];
  const normalized = text.normalize('NFKC').toLowerCase().replace(APOSTROPHES, "'");
  for (const raw of normalized.match(TOKEN) ?? []) {
    let word = raw.replace(ELISION, '');
    let negated = false;
    if (NEGATION.test(word)) {
      const base = word.slice(0, -3);
      word = IRREGULAR_NEGATION[base] ?? base;
      negated = true;
    } else {
      word = word.replace(CLITIC, '');
    }
    // An apostrophe left inside is part of the word: "aujourd'hui" → "aujourdhui".
    word = fold(word.replace(/'/g, ''));
    const parts = word.split('-').filter(Boolean);
    if (parts.length === 0) continue;
    out.push(parts.join(''));
    if (parts.length > 1) out.push(...parts);
    if (negated) out.push('not');
  }
  return out;
}

const FOLDED_STOP_WORDS: Record<Lang, ReadonlySet<string>> = {
  en: new Set(STOP_WORDS.en.map((w) => fold(w.toLowerCase()))),
  fr: new Set(STOP_WORDS.fr.map((w) => fold(w.toLowerCase()))),
};

/** A per-language memo of stems: vocabularies are small, stemming is the slow part. */
const stemMemo: Record<Lang, Map<string, string>> = { en: new Map(), fr: new Map() };

function stem(word: string, lang: Lang): string {
  if (word.length < 3 || HAS_DIGIT.test(word)) return word;
  const memo = stemMemo[lang];
  let stemmed = memo.get(word);
  if (stemmed === undefined) {
    stemmed = STEMMERS[lang].stem(word) || word;
    if (memo.size > 100_000) memo.clear();
    memo.set(word, stemmed);
  }
  return stemmed;
}

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
/** 30 bits: V8 keeps such integers unboxed (Smi), which makes Map look-ups several times faster. */
const HASH_MASK = 0x3fffffff;
/** Seeds that keep the three kinds of feature apart ("w:ab" ≠ "c:ab"). */
const SEED = { word: hashFrom(FNV_OFFSET, 'w:'), pair: hashFrom(FNV_OFFSET, 'b:'), char: hashFrom(FNV_OFFSET, 'c:') };

/** FNV-1a of `text`'s UTF-16 code units, continuing from hash `h`. */
function hashFrom(h: number, text: string): number {
  for (let i = 0; i < text.length; i += 1) h = Math.imul(h ^ text.charCodeAt(i), FNV_PRIME);
  return h & HASH_MASK;
}

/** The features of `text`, read as language `lang` (for stemming and stop words). */
export function textFeatures(text: string, lang: Lang, options: FeatureOptions = DEFAULT_FEATURE_OPTIONS): TextFeatures {
  const folded = words(text);
  const stops = FOLDED_STOP_WORDS[lang];
  const kept = options.dropStopWords ? folded.filter((w) => !stops.has(w)) : folded;
  const stems = kept.map((w) => stem(w, lang));
  const wordFeatures: number[] = stems.map((s) => hashFrom(SEED.word, s));
  for (let n = 2; n <= options.wordNgrams; n += 1) {
    for (let i = 0; i + n <= stems.length; i += 1) wordFeatures.push(hashFrom(SEED.pair, stems.slice(i, i + n).join(' ')));
  }
  const [minN, maxN] = options.charNgrams;
  const chars: number[] = [];
  if (minN > 0) {
    for (const word of kept) {
      const padded = ` ${word} `;
      for (let i = 0; i + minN <= padded.length; i += 1) {
        let h = SEED.char;
        for (let j = i; j < padded.length && j - i < maxN; j += 1) {
          h = Math.imul(h ^ padded.charCodeAt(j), FNV_PRIME);
          if (j - i + 1 >= minN) chars.push(h & HASH_MASK);
        }
      }
    }
  }
  return { words: wordFeatures, chars };
}
