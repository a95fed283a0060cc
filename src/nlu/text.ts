/**
 * Text processing for search and intent recognition, French and English.
 *
 * The pipeline, in order:
 * 1. `normalize`: Unicode NFKC (full-width letters, ligatures "ﬁ"), lower
 *    case, one apostrophe (’ ‘ ʼ ` ´ → ').
 * 2. `tokenize`: words, numbers and codes. Error codes and versions stay whole
 *    ("0x80070005", "809", "192.168.1.1"); French elision is removed
 *    ("l'imprimante" → "imprimante", "jusqu'à" → "à", "quelqu'un" → "un"); English clitics too
 *    ("user's" → "user", "can't" → "can"); a hyphenated compound gives the
 *    joined word and its parts ("wi-fi" → "wifi" + "wi" + "fi").
 * 3. Stop words per language (natural's lists plus chat fillers such as
 *    "please", "svp", "cant"): kept in the token list, flagged `stop`, so that
 *    synonym phrases ("mot de passe") still match; they are never indexed.
 * 4. Stemming per language (not of words of 3 letters or less: "hs", "mdp"),
 *    and accent/case folding, to one index `term`:
 *    English folds then stems; French stems the accented word (Porter
 *    French uses accents to find suffixes) then folds. A French user who types
 *    without accents ("mdp oublie") is handled at query time by the search
 *    module, which maps a folded surface form to every stem the documents
 *    produced for it.
 *
 * Everything here is pure and synchronous; analyzers are cached per language.
 */
import type { Lang } from '../core/lang.ts';
import { carryFr, lancasterEn, porterEn, porterFr, stopwordsEn, stopwordsFr, type NaturalStemmer } from './natural-parts.ts';

/** One word of a text. */
export interface Token {
  /** Lower-case NFKC form, elision and clitics removed, accents kept ("imprimante", "bloquée"). */
  surface: string;
  /** `surface` without diacritics ("bloquee"). */
  folded: string;
  /** Index term: the folded stem ("imprim", "bloqu"); '' for stop words. */
  term: string;
  /** A stop word or a one-character token: never indexed, seen by phrase matching. */
  stop: boolean;
  /** Position of the word in the text; the parts of a compound share the compound's position. */
  pos: number;
  /** One part of a hyphenated compound ("wi" of "wi-fi"), emitted after the joined form. */
  part: boolean;
}

export type StemmerName = 'porter' | 'carry' | 'lancaster' | 'none';

export interface AnalyzerOptions {
  /**
   * Stemmer; default 'porter'. 'lancaster' exists for English only and
   * 'carry' for French only (elsewhere they mean 'porter'). The search picks
   * its own per language (search/tuning.ts, measured in bench/README.md).
   */
  stemmer?: StemmerName;
}

export interface Analyzer {
  readonly lang: Lang;
  /**
   * Every token of `text`, stop words included (flagged). `remember: false`
   * (for queries) does not add new words to the memo, so that a long-running
   * process does not grow it with every typo users make.
   */
  tokens(text: string, remember?: boolean): Token[];
  /** The index terms of `text`: the stems of its non-stop tokens, in order, repeats kept. */
  terms(text: string, remember?: boolean): string[];
  /** The index term of one lower-case word (accents allowed); '' for a stop word. */
  termOf(word: string): string;
  isStopWord(word: string): boolean;
}

const APOSTROPHES = /[’‘ʼ`´]/g;
/** Hex codes, dotted numbers (versions, addresses), then words with inner apostrophes or hyphens. */
const TOKEN = /0x[0-9a-f]+|\d+(?:[.,:]\d+)+|[\p{L}\p{N}]+(?:['-][\p{L}\p{N}]+)*/gu;
const ELISION = /^(?:l|d|j|qu|n|m|t|s|c|jusqu|lorsqu|puisqu|quoiqu|presqu|quelqu)'(?=[\p{L}\p{N}])/u;
const CLITIC = /'(?:s|re|ve|ll|d|m)$/;
const NEGATION = /n't$/;
const IRREGULAR_NEGATION: Record<string, string> = { ca: 'can', wo: 'will', sha: 'shall' };
const HAS_DIGIT = /\d/;
/** Words this short are abbreviations or already roots ("mdp", "hs", "pc", "app"): stemming only mangles them ("hs" → "h"). */
const MAX_UNSTEMMED = 3;

/** NFKC, lower case, one apostrophe character. */
export function normalize(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(APOSTROPHES, "'");
}

const ASCII = /^[\x00-\x7f]*$/;

/** Removes diacritics and splits ligatures: "Réseau bloqué œuvre" → "Reseau bloque oeuvre". */
export function fold(text: string): string {
  if (ASCII.test(text)) return text;
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/œ/g, 'oe')
    .replace(/æ/g, 'ae')
    .replace(/ß/g, 'ss')
    .normalize('NFC');
}

/** Splits normalized text into words: elision and clitics removed, compounds joined and split. */
export function splitWords(text: string): Array<{ word: string; pos: number; part?: boolean }> {
  const out: Array<{ word: string; pos: number; part?: boolean }> = [];
  let pos = 0;
  for (const raw of normalize(text).match(TOKEN) ?? []) {
    const word = stripClitics(raw);
    if (!word) continue;
    const parts = withoutInversion(word.split('-').filter(Boolean));
    out.push({ word: parts.join(''), pos });
    if (parts.length > 1) for (const p of parts) out.push({ word: p, pos, part: true });
    pos += 1;
  }
  return out;
}

/**
 * Subject pronouns of a French inverted question ("peut-il", "puis-je",
 * "doit-on", "a-t-il", "est-ce"): the question form of the verb, not a
 * compound. They are dropped, so that "peut-il" is "peut" (a stop word)
 * instead of the unknown word "peutil".
 */
const INVERTED_SUBJECT = new Set(['je', 'tu', 'il', 'elle', 'on', 'nous', 'vous', 'ils', 'elles', 'ce', 't']);

function withoutInversion(parts: string[]): string[] {
  if (parts.length < 2 || !parts.slice(1).every((p) => INVERTED_SUBJECT.has(p))) return parts;
  return parts.slice(0, 1);
}

function stripClitics(raw: string): string {
  let word = raw.replace(ELISION, '');
  if (NEGATION.test(word)) {
    const base = word.slice(0, -3);
    word = IRREGULAR_NEGATION[base] ?? base;
  } else {
    word = word.replace(CLITIC, '');
  }
  // Whatever apostrophe is left is part of the word: "aujourd'hui" → "aujourdhui".
  return word.replace(/'/g, '');
}

/**
 * Words that carry no topic in a help-desk question, beyond natural's lists:
 * politeness, greetings, request verbs, and contractions typed without their
 * apostrophe ("cant", "dont", "ca"). Kept short on purpose: a word that names
 * a thing ("help" in "help center", "aide" in "aide en ligne") stays indexed.
 */
const EXTRA_STOP: Record<Lang, string> = {
  en: `cant dont doesnt didnt wont isnt arent wasnt werent havent hasnt couldnt wouldnt
    shouldnt im ive youre thats whats hows theres lets also just any anyone someone something
    anything please pls plz thanks thank thx hi hello hey able want wants wanted need needs would
    will shall may one yes ok okay anymore really already even always ever suddenly constantly
    today yesterday tomorrow asap urgent urgently anyway literally totally completely seriously
    basically actually`,
  fr: `ça ca cela ceci celui celle ceux celles comment pourquoi quand quoi combien si plus très
    trop tout tous toute toutes bien bonjour bonsoir salut merci svp stp peux peut peuvent pouvez
    pouvons pourrais pourriez puis faut veux veut voudrais voudrions aimerais besoin estce
    ya oui non ni y alors donc car or aussi encore déjà après avant là voici voilà chez vers
    afin ainsi auquel autre autres auxquelles auxquels cependant certain certaine certaines
    certains chaque concernant contre depuis desquelles desquels devant dont duquel durant dès
    elles entre environ etc lequel laquelle lesquels lesquelles lorsque lors malgré moins mêmes
    néanmoins outre parmi pendant plusieurs puisque quelque quelques quelqu quoique sauf selon
    sinon sous suivant`,
};

const STOP_WORDS: Record<Lang, ReadonlySet<string>> = {
  en: foldedSet([...stopwordsEn, ...EXTRA_STOP.en.split(/\s+/)]),
  fr: foldedSet([...stopwordsFr, ...EXTRA_STOP.fr.split(/\s+/)]),
};

function foldedSet(words: readonly string[]): ReadonlySet<string> {
  return new Set(words.filter(Boolean).map((w) => fold(normalize(w)).replace(/'/g, '')));
}

const STEMMERS: Record<Lang, Record<StemmerName, NaturalStemmer | null>> = {
  en: { porter: porterEn, lancaster: lancasterEn, carry: porterEn, none: null },
  fr: { porter: porterFr, carry: carryFr, lancaster: porterFr, none: null },
};

/** French words in -ent that are no verb in the 3rd person plural (nouns, adjectives, adverbs). */
const NOT_VERB_ENT = new Set(
  `client patient agent argent urgent parent talent absent present présent different différent accident incident
  precedent précédent souvent recent récent content excellent adolescent competent compétent prudent evident évident
  frequent fréquent permanent equivalent équivalent intelligent pourcent serpent torrent latent ardent apparent
  transparent coherent cohérent concurrent occident innocent resident résident president président regent contingent
  indulgent diligent negligent négligent emergent émergent divergent convergent consent adjacent decent décent
  violent insolvent solvent eminent éminent imminent pertinent impatient inconvenient efficient coefficient
  quotient ingredient ingrédient orient lent cent dent vent gent accent silent`.split(/\s+/),
);

/**
 * The form of a French word to stem, where natural's Porter stemmer leaves
 * two forms of one word apart: the 3rd person plural of a verb keeps its
 * -ent ("marchent", "synchronisent", "s'affichent" against "marche",
 * "synchronise", "affiche": stemmed as the singular), and a noun in -ions
 * loses -ions as if it were a verb ending ("déconnexions" → "deconnex"
 * against "déconnexion" → "deconnexion": stemmed as the singular).
 */
function frenchStemForm(word: string, stemmer: NaturalStemmer): string {
  if (word.length >= 6 && word.endsWith('ent') && !word.endsWith('ment') && !NOT_VERB_ENT.has(word) && stemmer.stem(word) === word) return word.slice(0, -2);
  if (word.length >= 6 && word.endsWith('ions')) return word.slice(0, -1);
  return word;
}

const SOUND = { folded: 'son', term: 'son' };
const BEFORE_SOUND = new Set(['le', 'du', 'au']);

/**
 * Whether the French "son" at words[i] is the noun (the sound) rather than the possessive, a stop word: after "le",
 * "du", "au" ("le son ne marche pas"), or followed by no word or by a stop word ("pas de son", "pas de son dans
 * teams"), where a possessive is followed by its noun ("de son pc", "son casque"). In the tuning questions "son" was
 * the sound 13 times in 25, and questions about Teams audio lost their one telling word.
 */
function isSound(words: ReadonlyArray<{ word: string }>, i: number, isStopWord: (word: string) => boolean): boolean {
  const before = words[i - 1];
  if (before && BEFORE_SOUND.has(fold(before.word))) return true;
  const after = words[i + 1];
  return !after || isStopWord(after.word);
}

/**
 * Builds the analyzer of one language. Each word's folded form and stem are
 * memoized per analyzer (vocabularies are small: a few thousand words; the
 * memo is cleared past 50,000), which makes indexing and query analysis
 * several times faster and allocates less per query.
 */
export function createAnalyzer(lang: Lang, options: AnalyzerOptions = {}): Analyzer {
  const stemmer = STEMMERS[lang][options.stemmer ?? 'porter'];
  const stops = STOP_WORDS[lang];
  const memo = new Map<string, { folded: string; term: string }>();
  // French stems the accented word (its suffix rules use accents), English the folded one.
  const stemFirst = lang === 'fr';

  const isStopWord = (word: string): boolean => word.length < 2 || stops.has(fold(word));
  const analyse = (word: string, remember = true): { folded: string; term: string } => {
    let known = memo.get(word);
    if (known) return known;
    const folded = fold(word);
    let term: string;
    if (word.length < 2 || stops.has(folded)) term = '';
    else if (!stemmer || HAS_DIGIT.test(word) || word.length <= MAX_UNSTEMMED) term = folded;
    else term = stemFirst ? fold(stemmer.stem(frenchStemForm(word, stemmer))) : stemmer.stem(folded);
    known = { folded, term };
    if (!remember) return known;
    if (memo.size > 50_000) memo.clear();
    memo.set(word, known);
    return known;
  };
  const termOf = (word: string): string => analyse(word).term;
  // French "son" is a possessive (a stop word) but for the sound: "pas de son", "le son ne marche pas" (`isSound`).
  const inContext = (words: ReadonlyArray<{ word: string }>, i: number, remember: boolean): { folded: string; term: string } => {
    const known = analyse((words[i] as { word: string }).word, remember);
    return lang === 'fr' && known.folded === 'son' && isSound(words, i, isStopWord) ? SOUND : known;
  };
  const tokens = (text: string, remember = true): Token[] =>
    // Every token has every property, in one order: one hidden class, so the search's hot loops stay optimized.
    splitWords(text).map(({ word, pos, part }, i, words) => {
      const { folded, term } = inContext(words, i, remember);
      return { surface: word, folded, term, stop: term === '', pos, part: part === true };
    });
  const terms = (text: string, remember = true): string[] => {
    const out: string[] = [];
    const words = splitWords(text);
    for (let i = 0; i < words.length; i += 1) {
      const term = inContext(words, i, remember).term;
      if (term) out.push(term);
    }
    return out;
  };
  return { lang, tokens, terms, termOf, isStopWord };
}

const cache = new Map<string, Analyzer>();

/** The shared analyzer of a language with default options. */
export function analyzerFor(lang: Lang, options: AnalyzerOptions = {}): Analyzer {
  const key = `${lang}:${options.stemmer ?? 'porter'}`;
  let analyzer = cache.get(key);
  if (!analyzer) cache.set(key, (analyzer = createAnalyzer(lang, options)));
  return analyzer;
}
