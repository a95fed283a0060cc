/**
 * Turns a small FAQ written as TSV (bench/data/src/*_fr.tsv: `<id>\t<title>\t<answer>\t<question>|<question>|…`)
 * into the retrieval formats of /work/shared/data/README.md, so that bench:search runs every peer on it:
 *
 *   npx tsx bench/make-faq-data.ts bench/data/src/hr_fr.tsv bench/data/src/mairie_fr.tsv [--out bench/data]
 *
 * Writes `faq_<name>_corpus.jsonl` (title, text = answer) and `faq_<name>_queries.jsonl` (each paraphrase,
 * relevant = its article) per file, `<name>` being the file name without `.tsv`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';

const jsonl = (rows: readonly object[]) => rows.map((r) => JSON.stringify(r)).join('\n') + '\n';

function convert(path: string, out: string): void {
  const name = basename(path, '.tsv');
  const corpus: object[] = [];
  const queries: object[] = [];
  readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim())
    .forEach((line, n) => {
      const [id, title, text, questions] = line.split('\t');
      if (!id || !title || !text || !questions) throw new Error(`make-faq-data: ${path}:${n + 1}: expected 4 tab-separated columns`);
      corpus.push({ id, title, text, lang: 'fr' });
      questions.split('|').forEach((q, i) => queries.push({ qid: `${id}.${i + 1}`, text: q.trim(), relevant: [id] }));
    });
  writeFileSync(join(out, `faq_${name}_corpus.jsonl`), jsonl(corpus));
  writeFileSync(join(out, `faq_${name}_queries.jsonl`), jsonl(queries));
  process.stdout.write(`${name}: ${corpus.length} articles, ${queries.length} questions\n`);
}

const { values, positionals } = parseArgs({ options: { out: { type: 'string', default: 'bench/data' } }, allowPositionals: true });
for (const path of positionals) convert(path, values.out ?? 'bench/data');
