/**
 * Builds the answer-quality data of bench/data/ (see bench/data/README.md)
 * from the hand-written sources in bench/data/src/:
 * - `<lang>_queries.tsv`: `<article id>\t<question>`, 15 questions per article;
 * - `<lang>_uncovered.txt`: one question the knowledge base does not cover a line;
 * - `<lang>_uncovered_tune.txt`: more such questions, for the tuning part only
 *   (appended after the split, which stays as it was);
 * - `<lang>_queries_tune.tsv` and `<lang>_uncovered_tune2.txt`: covered and
 *   uncovered questions added later, tuning part only, marked (qid
 *   `<id>.<lang>.t<n>`, `"added": true`) so that bench/calibrate.ts learns on
 *   them without ever holding them out;
 * - `<lang>_check.tsv` and `<lang>_check_uncovered.txt`: the check part, an
 *   independent writer's questions kept apart from both (never tuned on),
 *   written to `answers_<lang>_check_{queries,uncovered}.jsonl`.
 *
 *   npx tsx bench/make-answer-data.ts [--knowledge knowledge] [--out bench/data] [--src bench/data/src]
 *
 * Writes, per language:
 * - `kb_<lang>_full_corpus.jsonl`: every published article, its text being
 *   what the production index sees (symptoms, tags, cause, workaround, body);
 * - `answers_<lang>_{tune,test}_queries.jsonl` and
 *   `answers_<lang>_{tune,test}_uncovered.jsonl`: a fixed split (seeded
 *   shuffle, SEED below): per article, 10 questions tune, 5 test; uncovered
 *   questions 2/3 tune, 1/3 test. Never tune on test.
 */
import './quiet-env.ts';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { parse as parseYaml } from 'yaml';
import { LANGS } from '../src/core/lang.ts';
import type { Article } from '../src/knowledge/article.ts';
import { loadKnowledgeDir } from '../src/knowledge/load-knowledge-dir.ts';

const SEED = 20261206;

/**
 * Articles on the same topic seen from two sides (an FAQ and the procedure
 * it points to): a question about the topic is answered by either, so both
 * are relevant.
 */
const SAME_TOPIC: readonly (readonly [string, string])[] = [
  ['FAQ-0004', 'PROC-0003'],
  ['FAQ-0011', 'PROC-0006'],
  ['FAQ-0013', 'PROC-0005'],
  ['FAQ-0025', 'PROC-0004'],
  ['FAQ-0027', 'PROC-0002'],
  ['FAQ-0029', 'PROC-0001'],
];

/** mulberry32: a small seeded PRNG, so the split is the same on every machine. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffled<T>(items: readonly T[], next: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i -= 1) {
    const j = Math.floor(next() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

/** The non-empty lines of a text file, trimmed. */
const readLines = (file: string) => readFileSync(file, 'utf8').split('\n').map((l) => l.trim()).filter(Boolean);

/** `<article id>\t<question>` lines of `src/<name>`, each id one of `ids` (a bad line throws, naming the file and the line). */
function readQuestions(src: string, name: string, ids: ReadonlySet<string>): Array<{ id: string; text: string }> {
  return readFileSync(join(src, name), 'utf8').split('\n').filter((l) => l.trim()).map((line) => {
    const [id, text] = line.split('\t');
    if (!id || !text?.trim() || !ids.has(id)) throw new Error(`make-answer-data: ${name}: bad line "${line}"`);
    return { id, text: text.trim() };
  });
}

/** A question's text for comparison: lower case, no accents, no punctuation, single spaces. */
const sameText = (text: string) =>
  text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();

const jsonl = (rows: readonly object[]) => rows.map((r) => JSON.stringify(r)).join('\n') + '\n';

const textOf = (a: Article) => [a.symptoms.join('\n'), a.tags.join(' '), a.cause, a.workaround, a.body].filter(Boolean).join('\n\n');

function relevantFor(id: string): string[] {
  const pair = SAME_TOPIC.find((p) => p.includes(id));
  return pair ? [id, ...pair.filter((x) => x !== id)] : [id];
}

function serviceIds(path: string): string[] {
  const data = parseYaml(readFileSync(path, 'utf8')) as unknown;
  if (!Array.isArray(data)) throw new Error(`make-answer-data: ${path}: expected a list of services`);
  return data.map((s: unknown) => String((s as { id?: unknown }).id));
}

function main(): void {
  const { values } = parseArgs({
    options: { knowledge: { type: 'string', default: 'knowledge' }, out: { type: 'string', default: 'bench/data' }, src: { type: 'string', default: resolve(import.meta.dirname, 'data/src') } },
  });
  const src = resolve(values.src);
  const { articles } = loadKnowledgeDir(values.knowledge, serviceIds('config/services.yml'));
  mkdirSync(values.out, { recursive: true });
  const next = random(SEED);
  for (const lang of LANGS) {
    const mine = articles.filter((a) => a.lang === lang && a.status === 'published');
    const ids = new Set(mine.map((a) => a.id));
    writeFileSync(join(values.out, `kb_${lang}_full_corpus.jsonl`), jsonl(mine.map((a) => ({ id: a.id, title: a.title, text: textOf(a), lang }))));
    const byArticle = new Map<string, string[]>();
    for (const { id, text } of readQuestions(src, `${lang}_queries.tsv`, ids)) byArticle.set(id, [...(byArticle.get(id) ?? []), text]);
    const tune: object[] = [];
    const test: object[] = [];
    for (const [id, texts] of byArticle) {
      shuffled(texts, next).forEach((text, i) => (i % 3 === 2 ? test : tune).push({ qid: `${id}.${lang}.${texts.indexOf(text) + 1}`, text, relevant: relevantFor(id) }));
    }
    const uncovered = shuffled(readLines(join(src, `${lang}_uncovered.txt`)), next);
    const cut = Math.round((uncovered.length * 2) / 3);
    const write = (name: string, rows: readonly object[]) => writeFileSync(join(values.out, `answers_${lang}_${name}.jsonl`), jsonl(rows));
    // Tune-only covered questions (written later, qid suffix ".t<n>"): appended after the fixed split, which they leave unchanged.
    // A tune-only question written later that happens to say what a test question says is left out (counted, never
    // shown), so that the calibration never learns a test question.
    const testTexts = new Set([...test.map((q) => sameText((q as { text: string }).text)), ...uncovered.slice(cut).map(sameText)]);
    let dropped = 0;
    const notTest = (text: string) => (testTexts.has(sameText(text)) ? ((dropped += 1), false) : true);
    const tuneQueries = join(src, `${lang}_queries_tune.tsv`);
    if (existsSync(tuneQueries)) {
      const seen = new Map<string, number>();
      for (const { id, text } of readQuestions(src, `${lang}_queries_tune.tsv`, ids)) {
        if (!notTest(text)) continue;
        seen.set(id, (seen.get(id) ?? 0) + 1);
        tune.push({ qid: `${id}.${lang}.t${seen.get(id)}`, text, relevant: relevantFor(id) });
      }
    }
    write('tune_queries', tune);
    write('test_queries', test);
    // Tune-only uncovered questions (written later): appended after the fixed split, which they leave unchanged.
    const tuneOnly = join(src, `${lang}_uncovered_tune.txt`);
    const extra = existsSync(tuneOnly) ? readLines(tuneOnly).filter(notTest) : [];
    // Added later still (`added`: learned on, never held out by calibrate.ts's folds, so that its held-out figure stays comparable).
    const added = join(src, `${lang}_uncovered_tune2.txt`);
    const more = existsSync(added) ? readLines(added).filter(notTest) : [];
    write('tune_uncovered', [...[...uncovered.slice(0, cut), ...extra].map((text) => ({ text })), ...more.map((text) => ({ text, added: true }))]);
    write('test_uncovered', uncovered.slice(cut).map((text) => ({ text })));
    process.stdout.write(`${lang}: ${mine.length} articles; queries ${tune.length} tune / ${test.length} test; uncovered ${cut} + ${extra.length} + ${more.length} tune / ${uncovered.length - cut} test; ${dropped} tune-only questions left out (the same text as a test question)\n`);
    // The check part: an independent writer's questions, never tuned on, measured apart from the test part.
    const checkQueries = join(src, `${lang}_check.tsv`);
    if (existsSync(checkQueries)) {
      // A check question that says what a tuning question says ("asdfghjkl", "bonne journée") is left out: the calibration learned it.
      const tuneTexts = new Set([...tune.map((q) => (q as { text: string }).text), ...uncovered.slice(0, cut), ...extra, ...more].map(sameText));
      let known = 0;
      const unseen = (text: string) => (tuneTexts.has(sameText(text)) ? ((known += 1), false) : true);
      const check = readQuestions(src, `${lang}_check.tsv`, ids)
        .map(({ id, text }, i) => ({ qid: `${id}.${lang}.c${i + 1}`, text, relevant: relevantFor(id) }))
        .filter((q) => unseen(q.text));
      const checkUncovered = readLines(join(src, `${lang}_check_uncovered.txt`)).filter(unseen);
      write('check_queries', check);
      write('check_uncovered', checkUncovered.map((text) => ({ text })));
      process.stdout.write(`${lang}: check part ${check.length} questions, ${checkUncovered.length} uncovered; ${known} left out (the same text as a tuning question)\n`);
    }
  }
}

main();
