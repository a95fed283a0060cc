import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../../..');
const dir = mkdtempSync(join(tmpdir(), 'make-answer-data-'));
const rows = (lang: string, name: string) =>
  readFileSync(join(dir, 'out', `answers_${lang}_${name}.jsonl`), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { qid?: string; text: string; added?: boolean });

describe('make-answer-data.ts: tune-only questions never repeat a test question', () => {
  // Every split line is the same text, so the test part surely holds it.
  const src = join(dir, 'src');
  mkdirSync(src);
  for (const lang of ['fr', 'en']) {
    writeFileSync(join(src, `${lang}_queries.tsv`), Array.from({ length: 15 }, () => 'FAQ-0001\tmon mot de passe expire').join('\n') + '\n');
    writeFileSync(join(src, `${lang}_uncovered.txt`), 'quelle heure est il\nquelle heure est il\nquelle heure est il\n');
  }
  writeFileSync(join(src, 'fr_queries_tune.tsv'), 'FAQ-0001\tMon mot de passe EXPIRE !\nFAQ-0001\tchanger mon mdp\n');
  writeFileSync(join(src, 'fr_uncovered_tune.txt'), 'Quelle heure est-il ?\nla cantine ferme a quelle heure\n');
  writeFileSync(join(src, 'fr_uncovered_tune2.txt'), 'quelle heure est-il\nrecette de la tarte aux pommes\n');
  const printed = execFileSync(process.execPath, ['--import', 'tsx', 'bench/make-answer-data.ts', '--src', src, '--out', join(dir, 'out')], { cwd: ROOT, encoding: 'utf8' });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('leaves out a covered tune-only question with the same text as a test one (case, accents, punctuation aside)', () => {
    expect(rows('fr', 'test_queries').map((q) => q.text)).toContain('mon mot de passe expire');
    const added = rows('fr', 'tune_queries').filter((q) => q.qid?.includes('.t'));
    expect(added).toEqual([{ qid: 'FAQ-0001.fr.t1', text: 'changer mon mdp', relevant: ['FAQ-0001'] }]);
  });

  it('leaves out uncovered tune-only questions that say what a test one says, and counts them', () => {
    const tune = rows('fr', 'tune_uncovered');
    expect(tune.filter((q) => q.added).map((q) => q.text)).toEqual(['recette de la tarte aux pommes']);
    expect(tune.map((q) => q.text)).toContain('la cantine ferme a quelle heure');
    expect(tune.map((q) => q.text)).not.toContain('Quelle heure est-il ?');
    expect(printed).toMatch(/fr: .*; 3 tune-only questions left out/);
    expect(printed).toMatch(/en: .*; 0 tune-only questions left out/);
  });
});
