/**
 * Builds a held-out retrieval check from our own knowledge base, to see
 * whether search choices made on public data sets generalise to service-desk
 * content in French and English:
 * - corpus: every published article of a language, WITHOUT its symptoms
 *   (title, then cause, workaround and body as the text);
 * - queries: each symptom of each article (the way users phrase the problem),
 *   relevant = that article.
 *
 *   npx tsx bench/make-kb-queries.ts [--knowledge knowledge] [--services config/services.yml] [--out bench/data]
 *
 * Writes kb_<lang>_corpus.jsonl and kb_<lang>_queries.jsonl per language,
 * then: npm run bench:search -- --corpus bench/data/kb_fr_corpus.jsonl --queries bench/data/kb_fr_queries.jsonl
 */
import './quiet-env.ts';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { parse as parseYaml } from 'yaml';
import { LANGS } from '../src/core/lang.ts';
import type { Article } from '../src/knowledge/article.ts';
import { loadKnowledgeDir } from '../src/knowledge/load-knowledge-dir.ts';

function serviceIds(path: string): string[] {
  const data = parseYaml(readFileSync(path, 'utf8')) as unknown;
  if (!Array.isArray(data)) throw new Error(`make-kb-queries: ${path}: expected a list of services`);
  return data.map((s: unknown) => String((s as { id?: unknown }).id));
}

const jsonl = (rows: readonly object[]) => rows.map((r) => JSON.stringify(r)).join('\n') + '\n';

const textOf = (a: Article) => [a.cause, a.workaround, a.body].filter(Boolean).join('\n\n');

function main(): void {
  const { values } = parseArgs({
    options: {
      knowledge: { type: 'string', default: 'knowledge' },
      services: { type: 'string', default: 'config/services.yml' },
      out: { type: 'string', default: 'bench/data' },
    },
  });
  const { articles, errors } = loadKnowledgeDir(values.knowledge, serviceIds(values.services));
  for (const e of errors) process.stderr.write(`${e.message} (skipped)\n`);
  mkdirSync(values.out, { recursive: true });
  for (const lang of LANGS) {
    const mine = articles.filter((a) => a.lang === lang && a.status === 'published');
    const corpus = mine.map((a) => ({ id: a.id, title: a.title, text: textOf(a), lang }));
    const queries = mine.flatMap((a) => a.symptoms.map((s, i) => ({ qid: `${a.id}.${lang}.${i + 1}`, text: s, relevant: [a.id] })));
    writeFileSync(join(values.out, `kb_${lang}_corpus.jsonl`), jsonl(corpus));
    writeFileSync(join(values.out, `kb_${lang}_queries.jsonl`), jsonl(queries));
    process.stdout.write(`${lang}: ${corpus.length} articles, ${queries.length} queries → ${values.out}/kb_${lang}_*.jsonl\n`);
  }
}

main();
