import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Article } from '../../../src/knowledge/article.ts';
import type { StoredArticle } from '../../../src/knowledge/article-store.ts';
import { MemoryArticleStore } from '../../../src/knowledge/memory-article-store.ts';
import { loadServiceIds } from '../../../src/catalog/services.ts';
import { contentHash, CURATED_REASON, planSync, syncKnowledge } from '../../../src/knowledge/sync.ts';

const article = (over: Partial<Article> = {}): Article => ({
  id: 'FAQ-0001',
  type: 'faq',
  lang: 'en',
  title: 'Forgot my password',
  tags: ['password', 'reset', 'account'],
  services: ['identity'],
  symptoms: ['I forgot my password', 'cannot sign in'],
  status: 'published',
  updated: '2026-09-01',
  body: 'Reset it on the password portal.',
  path: 'en/faq/FAQ-0001-forgot-my-password.md',
  ...over,
});

/** What the store holds for `a`, as a sync from its file would have left it. */
const stored = (a: Article, over: Partial<StoredArticle> = {}): StoredArticle => {
  const { path, ...content } = a;
  return { ...content, source: 'file', ...(path ? { sourcePath: path } : {}), revision: 1, contentHash: contentHash(a), ...over };
};

const ids = (list: readonly { id: string; lang: string }[]): string[] => list.map((a) => `${a.id}/${a.lang}`);

describe('contentHash', () => {
  it('depends on the content and the status, not on the path, key order or trailing blank lines', () => {
    const a = article();
    const reordered = Object.fromEntries(Object.entries(a).reverse()) as unknown as Article;
    expect(contentHash(reordered)).toBe(contentHash(a));
    expect(contentHash({ ...a, path: 'elsewhere.md' })).toBe(contentHash(a));
    expect(contentHash({ ...a, body: `${a.body}\n\n` })).toBe(contentHash(a));
    expect(contentHash({ ...a, status: 'retired' })).not.toBe(contentHash(a));
    expect(contentHash({ ...a, tags: ['reset', 'password', 'account'] })).not.toBe(contentHash(a));
    expect(contentHash({ ...a, updated: '2026-09-02' })).not.toBe(contentHash(a));
    expect(contentHash({ ...a, lang: 'fr' })).not.toBe(contentHash(a));
    expect(contentHash(a)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('tells an absent cause from an empty one', () => {
    const ke = article({ id: 'KE-0001', type: 'known-error', cause: 'A bug.', workaround: 'Restart.' });
    const { cause: _cause, ...withoutCause } = ke;
    expect(contentHash(withoutCause)).not.toBe(contentHash(ke));
  });
});

describe('planSync', () => {
  it('creates what the store does not have', () => {
    const plan = planSync([article(), article({ lang: 'fr', path: 'fr/faq/FAQ-0001-mdp.md' })], []);
    expect(ids(plan.create)).toEqual(['FAQ-0001/en', 'FAQ-0001/fr']);
    expect([plan.update, plan.retire, plan.unchanged, plan.skipped].every((l) => l.length === 0)).toBe(true);
  });

  it('leaves an article equal to its file alone', () => {
    const a = article();
    const plan = planSync([a], [stored(a, { revision: 4 })]);
    expect(ids(plan.unchanged)).toEqual(['FAQ-0001/en']);
    expect(plan.create.length + plan.update.length + plan.retire.length + plan.skipped.length).toBe(0);
  });

  it('updates a file article whose file changed (content, status or date)', () => {
    const before = article();
    for (const after of [article({ title: 'I forgot my password' }), article({ status: 'draft' }), article({ updated: '2026-10-01' })]) {
      const plan = planSync([after], [stored(before)]);
      expect(plan.update).toEqual([{ article: after, stored: stored(before), change: 'content' }]);
    }
  });

  it('re-links a file article whose file moved, without a content change', () => {
    const a = article();
    const plan = planSync([{ ...a, path: 'en/faq/FAQ-0001-password-forgotten.md' }], [stored(a)]);
    expect(plan.update.map((u) => [u.change, u.article.path])).toEqual([['source', 'en/faq/FAQ-0001-password-forgotten.md']]);
  });

  it('never overwrites an article curated in Guichet: it is skipped with the reason', () => {
    const file = article();
    for (const source of ['chat', 'web', 'import', 'ticket'] as const) {
      const curated = stored(article({ title: 'Forgot my password? Reset it yourself' }), { source, revision: 2 });
      const plan = planSync([file], [curated]);
      expect(plan.skipped).toEqual([{ article: file, stored: curated, reason: CURATED_REASON }]);
      expect(plan.update).toEqual([]);
    }
    expect(CURATED_REASON).toBe('curated in Guichet since the last export; run kb export');
  });

  it('takes a curated article back to source file when its file holds the same content', () => {
    const a = article();
    const plan = planSync([a], [stored(a, { source: 'chat', revision: 3 })]);
    expect(plan.update.map((u) => u.change)).toEqual(['source']);
    expect(plan.skipped).toEqual([]);
  });

  it('retires file articles whose file is gone, once; never curated ones', () => {
    const gone = stored(article({ id: 'FAQ-0002' }));
    const alreadyRetired = stored(article({ id: 'FAQ-0003', status: 'retired' }));
    const chatOnly = stored(article({ id: 'FAQ-0004' }), { source: 'chat' });
    const plan = planSync([], [gone, alreadyRetired, chatOnly]);
    expect(ids(plan.retire)).toEqual(['FAQ-0002/en']);
    expect(plan.unchanged.length + plan.skipped.length + plan.update.length).toBe(0);
  });

  it('matches by id and language: a translation is its own article', () => {
    const en = article();
    const plan = planSync([en], [stored(article({ lang: 'fr', path: 'fr/faq/FAQ-0001-mdp.md' }))]);
    expect(ids(plan.create)).toEqual(['FAQ-0001/en']);
    expect(ids(plan.retire)).toEqual(['FAQ-0001/fr']);
  });

  it('does not change its inputs', () => {
    const files = [article()];
    const store = [stored(article({ title: 'Old' })), stored(article({ id: 'FAQ-0009' }))];
    const copy = structuredClone({ files, store });
    planSync(files, store);
    expect({ files, store }).toEqual(copy);
  });
});

describe('syncKnowledge on the memory store', () => {
  const serviceIds = loadServiceIds('config');
  const dirs: string[] = [];
  const fixture = (): string => {
    const dir = mkdtempSync(join(tmpdir(), 'guichet-kb-unit-'));
    dirs.push(dir);
    cpSync('test/fixtures/knowledge', dir, { recursive: true });
    return dir;
  };
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('is idempotent and keeps paths relative to the folder', async () => {
    const dir = fixture();
    const store = new MemoryArticleStore();
    const first = await syncKnowledge(store, dir, serviceIds);
    expect(first.errors).toEqual([]);
    expect(first.created.length).toBeGreaterThan(10);
    expect(first.created[0]?.path).toMatch(/^(en|fr)\/(faq|known-errors|procedures)\/[A-Z]+-\d{4}-[a-z0-9-]+\.md$/);
    const audit = store.audit.length;
    const second = await syncKnowledge(store, dir, serviceIds);
    expect(second).toMatchObject({ created: [], updated: [], retired: [], skipped: [], unchanged: first.created.length });
    expect(store.audit.length).toBe(audit);
  });

  it('syncs nothing from a folder with a content error, and names every error', async () => {
    const dir = fixture();
    writeFileSync(join(dir, 'en/faq/FAQ-0001-forgot-password.md'), '---\nid: FAQ-0001\n---\nbody\n');
    writeFileSync(join(dir, 'fr/faq/FAQ-0099-vide.md'), 'no front matter');
    const store = new MemoryArticleStore();
    const report = await syncKnowledge(store, dir, serviceIds);
    expect(report.errors.map((e) => [e.file.split('/').slice(-1)[0], e.field])).toEqual(
      expect.arrayContaining([
        ['FAQ-0001-forgot-password.md', 'type'],
        ['FAQ-0001-forgot-password.md', 'title'],
        ['FAQ-0099-vide.md', null],
      ]),
    );
    expect(report.created).toEqual([]);
    expect(await store.list()).toEqual([]);
  });

  it('treats a status change made by a person as curation: the next sync does not undo it', async () => {
    const dir = fixture();
    const store = new MemoryArticleStore();
    await syncKnowledge(store, dir, serviceIds);
    expect(await store.setStatus('FAQ-0002', 'en', 'retired', { authorId: 'admin-1', reason: 'retired in chat' })).toBe(true);
    const report = await syncKnowledge(store, dir, serviceIds);
    expect(report.skipped.map((s) => `${s.id}/${s.lang}`)).toEqual(['FAQ-0002/en']);
    expect(await store.get('FAQ-0002', 'en')).toMatchObject({ status: 'retired', source: 'chat', revision: 2 });
    expect(store.audit.at(-1)).toMatchObject({ action: 'article.status', actorKind: 'admin', actorId: 'admin-1', before: { status: 'published' } });
  });
});
