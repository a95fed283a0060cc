/**
 * Benchmark data files (formats in /work/shared/data/README.md): a corpus
 * (`{id, title, text, lang?}` per line) and queries (`{qid, text,
 * relevant[]}` per line). Lines are validated; articles without `lang` get it
 * detected from their title and text.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { Lang } from '../../src/core/lang.ts';
import { detectLanguage } from '../../src/nlu/language.ts';

export interface CorpusDoc {
  id: string;
  title: string;
  text: string;
  lang: Lang;
}

export interface BenchQuery {
  qid: string;
  text: string;
  relevant: string[];
}

const corpusLine = z.object({ id: z.union([z.string(), z.number()]).transform(String), title: z.string().default(''), text: z.string().default(''), lang: z.enum(['fr', 'en']).optional() });
const queryLine = z.object({ qid: z.union([z.string(), z.number()]).transform(String), text: z.string(), relevant: z.array(z.union([z.string(), z.number()]).transform(String)).min(1) });

function readJsonl<T>(path: string, schema: z.ZodType<T, z.ZodTypeDef, unknown>): T[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .map((line, i) => ({ line: line.trim(), n: i + 1 }))
    .filter(({ line }) => line.length > 0)
    .map(({ line, n }) => {
      let json: unknown;
      try {
        json = JSON.parse(line);
      } catch (e) {
        throw new Error(`bench: ${path}:${n}: not JSON: ${(e as Error).message}`);
      }
      const parsed = schema.safeParse(json);
      if (!parsed.success) throw new Error(`bench: ${path}:${n}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
      return parsed.data;
    });
}

export function readCorpus(path: string): CorpusDoc[] {
  return readJsonl(path, corpusLine).map((d) => ({
    id: d.id,
    title: d.title,
    text: d.text,
    // Long texts tell their language well; 'en' only breaks exact ties.
    lang: d.lang ?? detectLanguage(`${d.title}\n${d.text.slice(0, 2000)}`, 'en').lang,
  }));
}

export function readQueries(path: string): BenchQuery[] {
  return readJsonl(path, queryLine);
}

/** The language of most of the corpus: peers that take one language get this one. */
export function majorityLang(docs: readonly CorpusDoc[]): Lang {
  const fr = docs.filter((d) => d.lang === 'fr').length;
  return fr > docs.length / 2 ? 'fr' : 'en';
}
