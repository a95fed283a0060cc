import { cpSync, mkdtempSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadKnowledgeDir } from '../../../src/knowledge/load-knowledge-dir.ts';
import { FIXTURE_SERVICES, KNOWLEDGE_FIXTURES } from './search/fixture-index.ts';

/** A writable copy of the fixture folder; paths in messages are relative to the working directory when under it. */
function copyOfFixtures(): { dir: string; shown: (p: string) => string } {
  const dir = mkdtempSync(join(tmpdir(), 'guichet-kb-'));
  cpSync(KNOWLEDGE_FIXTURES, dir, { recursive: true });
  const shown = (p: string) => {
    const rel = relative(process.cwd(), join(dir, p));
    return rel.startsWith('..') ? join(dir, p) : rel;
  };
  return { dir, shown };
}

describe('loadKnowledgeDir', () => {
  it('loads the fixtures with no error, sorted by id then language', () => {
    const { articles, errors } = loadKnowledgeDir(KNOWLEDGE_FIXTURES, FIXTURE_SERVICES);
    expect(errors).toEqual([]);
    expect(articles).toHaveLength(21);
    expect(articles.slice(0, 2).map((a) => `${a.id}/${a.lang}`)).toEqual(['FAQ-0001/en', 'FAQ-0001/fr']);
    expect(articles.every((a) => a.path?.endsWith('.md'))).toBe(true);
  });

  it('warns, without failing, about an article that exists in one language only', () => {
    const { warnings } = loadKnowledgeDir(KNOWLEDGE_FIXTURES, FIXTURE_SERVICES);
    expect(warnings.map((w) => w.message)).toEqual([
      expect.stringMatching(/^knowledge: .*en\/faq\/FAQ-0005-black-screen-on-dock\.md: field "id": "FAQ-0005" has no fr translation \(fr users get the en article\)$/),
    ]);
  });

  it('names both files of a duplicate id and language, and loads neither', () => {
    const { dir, shown } = copyOfFixtures();
    const original = 'en/faq/FAQ-0002-account-locked.md';
    const copy = 'en/faq/FAQ-0002-z-copy.md';
    writeFileSync(join(dir, copy), readFileSync(join(dir, original), 'utf8'));
    const { articles, errors } = loadKnowledgeDir(dir, FIXTURE_SERVICES);
    expect(errors.map((e) => e.message)).toEqual([
      `knowledge: ${shown(copy)}: field "id": duplicate article id "FAQ-0002" (en) in ${shown(original)} and ${shown(copy)}`,
    ]);
    expect(articles.filter((a) => a.id === 'FAQ-0002').map((a) => a.lang)).toEqual(['fr']);
  });

  it('reports a file in the wrong folder and an unknown service, each with file, field and problem', () => {
    const { dir, shown } = copyOfFixtures();
    renameSync(join(dir, 'fr/faq/FAQ-0004-pas-de-son-dans-teams.md'), join(dir, 'fr/procedures/FAQ-0004-pas-de-son-dans-teams.md'));
    const vpn = 'en/known-errors/KE-0002-vpn-error-809-home-router.md';
    writeFileSync(join(dir, vpn), readFileSync(join(dir, vpn), 'utf8').replace('services: [vpn]', 'services: [remote-access]'));
    const { errors } = loadKnowledgeDir(dir, FIXTURE_SERVICES);
    expect(errors.map((e) => e.message)).toEqual([
      `knowledge: ${shown(vpn)}: field "services": unknown service "remote-access" (known: ${FIXTURE_SERVICES.join(', ')})`,
      `knowledge: ${shown('fr/procedures/FAQ-0004-pas-de-son-dans-teams.md')}: field "type": is "faq" but the file is in folder "procedures" (expected fr/faq/)`,
    ]);
    expect(errors[0]).toMatchObject({ file: shown(vpn), field: 'services', severity: 'error' });
  });
});
