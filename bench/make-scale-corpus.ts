/**
 * A large corpus for latency at scale: `--size` articles (default 10,000)
 * made from a corpus's articles, each copy with its sentences in another
 * (seeded) order and half of them dropped, so that posting lists and field
 * lengths vary like a real base's. Quality figures on it mean nothing; the
 * latency (p50, p99) is the point.
 *
 *   npx tsx bench/make-scale-corpus.ts --corpus <corpus.jsonl> [--size 10000] --out <file.jsonl>
 *   npm run bench:search -- --corpus <file.jsonl> --queries <the corpus's queries> --engines guichet
 */
import './quiet-env.ts';
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { readCorpus } from './lib/data.ts';

function main(): void {
  const { values } = parseArgs({ options: { corpus: { type: 'string' }, size: { type: 'string', default: '10000' }, out: { type: 'string' } } });
  if (!values.corpus || !values.out) throw new Error('make-scale-corpus: --corpus and --out are required');
  const docs = readCorpus(values.corpus);
  const size = Number(values.size);
  let seed = 12345;
  const next = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 4294967296);
  const lines: string[] = [];
  for (let i = 0; i < size; i += 1) {
    const d = docs[i % docs.length];
    if (!d) break;
    const copy = Math.floor(i / docs.length);
    const sentences = d.text.split(/(?<=[.!?\n])\s+/);
    const text = copy === 0 ? d.text : sentences.filter(() => next() < 0.5).sort(() => next() - 0.5).join(' ');
    lines.push(JSON.stringify({ id: copy === 0 ? d.id : `${d.id}~${copy}`, title: d.title, text, lang: d.lang }));
  }
  writeFileSync(values.out, `${lines.join('\n')}\n`);
  process.stdout.write(`${lines.length} articles → ${values.out}\n`);
}

main();
