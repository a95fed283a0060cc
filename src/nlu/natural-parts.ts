/**
 * The parts of `natural` that text processing uses, loaded one file at a time.
 *
 * Why not `import natural from 'natural'`: the package's index loads every
 * module it has (WordNet, classifiers, storage back-ends with mongoose, redis,
 * pg and dotenv), which costs about 1.4 s at start-up and prints dotenv
 * banners. The stemmers and stop-word lists are plain CommonJS files with no
 * such dependencies (about 10 ms together).
 */
import { createRequire } from 'node:module';

export interface NaturalStemmer {
  stem(token: string): string;
}

const require = createRequire(import.meta.url);
const load = <T>(file: string): T => require(`natural/lib/natural/${file}`) as T;

/** Porter (1980) stemmer for English. */
export const porterEn = load<NaturalStemmer>('stemmers/porter_stemmer.js');
/** Porter/Snowball stemmer for French: precise, but sensitive to accents ("oublié" → "oubli", "oublie" → "oubl"). */
export const porterFr = load<NaturalStemmer>('stemmers/porter_stemmer_fr.js');
/** Carry stemmer for French (Paternostre et al.): more aggressive, insensitive to accents. */
export const carryFr = load<NaturalStemmer>('stemmers/Carry/index.js');
/** Lancaster (Paice/Husk) stemmer for English: aggressive. */
export const lancasterEn = load<NaturalStemmer>('stemmers/lancaster_stemmer.js');

export const stopwordsEn: readonly string[] = load<{ words: string[] }>('util/stopwords.js').words;
export const stopwordsFr: readonly string[] = load<{ words: string[] }>('util/stopwords_fr.js').words;
