/**
 * The parts of `natural` the intent featuriser uses, loaded file by file:
 * `import natural from 'natural'` loads every module of the package (WordNet,
 * storage back-ends, dotenv) and costs over a second at start-up. The
 * stemmers and stop-word lists are plain CommonJS files without dependencies.
 */
import { createRequire } from 'node:module';
import type { Lang } from '../../core/lang.ts';

interface Stemmer {
  stem(word: string): string;
}

const require = createRequire(import.meta.url);
const load = <T>(file: string): T => require(`natural/lib/natural/${file}`) as T;

/** Porter stemmers: English (Porter 1980) and French (Snowball); deterministic, no state. */
export const STEMMERS: Record<Lang, Stemmer> = {
  en: load<Stemmer>('stemmers/porter_stemmer.js'),
  fr: load<Stemmer>('stemmers/porter_stemmer_fr.js'),
};

/** natural's stop-word lists, English and French. */
export const STOP_WORDS: Record<Lang, readonly string[]> = {
  en: load<{ words: string[] }>('util/stopwords.js').words,
  fr: load<{ words: string[] }>('util/stopwords_fr.js').words,
};
