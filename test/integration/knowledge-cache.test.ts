/**
 * The start-up caches on the real database (SQLite, or PostgreSQL when DATABASE_URL is
 * postgresql://…): a sync with a file cache parses only changed files and still writes, retires
 * and curates as without it; the knowledge base loads its search index from the cache when no
 * article changed, without reading an article from the database.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { loadServiceIds } from '../../src/catalog/services.ts';
import { IndexedKnowledgeBase } from '../../src/knowledge/knowledge-base.ts';
import { syncKnowledge, syncKnowledgeListed } from '../../src/knowledge/sync.ts';
import { loadSynonymFile } from '../../src/nlu/synonyms.ts';
import { PrismaArticleStore } from '../../src/persistence/stores/articles.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';

const serviceIds = loadServiceIds('config');
const synonyms = loadSynonymFile('knowledge/synonyms.yml');
let t: TestDatabase;
let store: PrismaArticleStore;
let dir: string;
let cacheDir: string;
const made: string[] = [];

const temp = (prefix: string): string => {
  const d = mkdtempSync(join(tmpdir(), prefix));
  made.push(d);
  return d;
};
const fileCache = () => ({ fileCache: { file: join(cacheDir, 'knowledge-files.bin') } });
const revisions = () => t.db.client.articleRevision.count();

beforeAll(async () => {
  t = await createTestDatabase();
  store = new PrismaArticleStore(t.db);
});
afterAll(async () => {
  await t?.cleanup();
  for (const d of made) rmSync(d, { recursive: true, force: true });
});
beforeEach(async () => {
  await t.db.client.article.deleteMany();
  await t.db.client.auditLog.deleteMany({ where: { entity: 'article' } });
  dir = temp('guichet-kcache-');
  cpSync('knowledge', dir, { recursive: true });
  cacheDir = temp('guichet-kcache-dir-');
});

describe('sync with a file cache', () => {
  it('parses no unchanged file on the second sync, and writes nothing', async () => {
    const first = await syncKnowledge(store, dir, serviceIds, fileCache());
    expect(first).toMatchObject({ errors: [], parsed: 120 });
    expect(first.created).toHaveLength(120);
    const written = await revisions();

    const second = await syncKnowledgeListed(store, dir, serviceIds, fileCache());
    expect(second.report).toMatchObject({ parsed: 0, unchanged: 120, created: [], updated: [], retired: [], skipped: [] });
    // The same warnings as a parse gives (KE-0010 has no translation in the shipped folder, or none at all).
    expect(second.report.warnings).toEqual(first.warnings);
    expect(second.versions).toHaveLength(120);
    expect(await revisions()).toBe(written);
  });

  it('re-reads a changed file and updates its article; a touched but identical file is not parsed', async () => {
    await syncKnowledge(store, dir, serviceIds, fileCache());
    const path = (await store.get('FAQ-0003', 'en'))?.sourcePath ?? '';
    const file = join(dir, path);
    const original = readFileSync(file, 'utf8');

    const later = new Date(Date.now() + 60_000);
    utimesSync(file, later, later);
    expect(await syncKnowledge(store, dir, serviceIds, fileCache())).toMatchObject({ parsed: 0, unchanged: 120, updated: [] });

    writeFileSync(file, original.replace(/^title: .*$/m, 'title: "My account is locked (cached sync)"'));
    const edited = await syncKnowledge(store, dir, serviceIds, fileCache());
    expect(edited).toMatchObject({ parsed: 1, unchanged: 119, updated: [{ id: 'FAQ-0003', lang: 'en', path, change: 'content' }] });
    expect(await store.get('FAQ-0003', 'en')).toMatchObject({ title: 'My account is locked (cached sync)', revision: 2 });
  });

  it('retires the article of a removed file', async () => {
    await syncKnowledge(store, dir, serviceIds, fileCache());
    const path = (await store.get('FAQ-0003', 'fr'))?.sourcePath ?? '';
    unlinkSync(join(dir, path));
    const removed = await syncKnowledge(store, dir, serviceIds, fileCache());
    expect(removed).toMatchObject({ parsed: 0, retired: [{ id: 'FAQ-0003', lang: 'fr', path }] });
    expect(await store.get('FAQ-0003', 'fr')).toMatchObject({ status: 'retired', revision: 2, source: 'file' });
  });

  it('creates every article in an empty database from a cache another database left (parsing them then)', async () => {
    await syncKnowledge(store, dir, serviceIds, fileCache());
    await t.db.client.article.deleteMany();
    const again = await syncKnowledge(store, dir, serviceIds, fileCache());
    expect(again).toMatchObject({ parsed: 120, errors: [] });
    expect(again.created).toHaveLength(120);
    expect(await store.get('FAQ-0002', 'fr')).toMatchObject({ status: 'published', body: expect.stringMatching(/\S/) });
  });
});

describe('the knowledge base with an index cache', () => {
  it('loads the index of unchanged articles from the cache without listing them, with the same hits and scores', async () => {
    const { versions } = { versions: undefined, ...(await syncKnowledgeListed(store, dir, serviceIds)) };
    const log = vi.fn();
    const cache = { file: join(cacheDir, 'search-index.bin'), log };
    const built = new IndexedKnowledgeBase(store, synonyms, cache);
    await built.refresh(versions);
    expect(log).toHaveBeenCalledTimes(1);
    // Built and saved by a worker thread, then loaded from the file: the server's heap holds only what it serves.
    expect(log.mock.calls[0]?.[0]).toMatchObject({ reason: 'missing', articles: 120, worker: true });
    expect(built.article('FAQ-0002', 'fr')?.markdown.length).toBeGreaterThan(100);

    const list = vi.spyOn(store, 'list');
    const loaded = new IndexedKnowledgeBase(store, synonyms, cache);
    await loaded.refresh();
    expect(log).toHaveBeenCalledTimes(1);
    expect(list).not.toHaveBeenCalled();
    list.mockRestore();
    expect(loaded.size).toBe(built.size);
    for (const [query, lang] of [['mot de passe oublié', 'fr'], ['outlook keeps asking for my password', 'en'], ['vpn', 'fr'], ['imprimante', 'fr']] as const) {
      const hits = (kb: IndexedKnowledgeBase) => kb.search(query, { lang }).map((h) => [h.ref.id, h.ref.lang, h.score, h.confidence, h.highlights]);
      expect(hits(loaded)).toEqual(hits(built));
      expect(hits(loaded).length).toBeGreaterThan(0);
    }
    expect(loaded.article('FAQ-0002', 'fr')).toEqual(built.article('FAQ-0002', 'fr'));

    // A changed article makes the cache stale: rebuilt with the new title.
    const faq = await store.get('FAQ-0002', 'fr');
    await store.save({ ...faq!, title: 'Titre changé pour le test du cache' }, { source: 'web', reason: 'test' });
    const changed = new IndexedKnowledgeBase(store, synonyms, cache);
    await changed.refresh();
    expect(log).toHaveBeenCalledTimes(2);
    expect(log.mock.calls[1]?.[0]).toMatchObject({ reason: 'stale' });
    expect(changed.article('FAQ-0002', 'fr')?.title).toBe('Titre changé pour le test du cache');

    // An edit while serving refreshes without the cache: nothing logged as rebuilt and cached, the file not rewritten.
    const saved = readFileSync(cache.file);
    await store.save({ ...faq!, title: 'Titre changé une seconde fois' }, { source: 'web', reason: 'test' });
    await changed.refresh(undefined, { cached: false });
    expect(changed.article('FAQ-0002', 'fr')?.title).toBe('Titre changé une seconde fois');
    expect(log).toHaveBeenCalledTimes(2);
    expect(readFileSync(cache.file).equals(saved)).toBe(true);
  });

  it('builds the index once, in this thread, when its cache cannot be written', async () => {
    const { versions } = await syncKnowledgeListed(store, dir, serviceIds);
    // A cache folder under a regular file can never be made (whoever runs the test, root included).
    const blocker = join(cacheDir, 'not-a-folder');
    writeFileSync(blocker, '');
    const log = vi.fn();
    const kb = new IndexedKnowledgeBase(store, synonyms, { file: join(blocker, 'search-index.bin'), log });
    await kb.refresh(versions);
    expect(log).toHaveBeenCalledTimes(1);
    expect(log.mock.calls[0]?.[0]).toMatchObject({ reason: 'missing', articles: 120, saveError: expect.any(String) });
    expect(log.mock.calls[0]?.[0]).not.toHaveProperty('worker');
    expect(kb.search('mot de passe oublié', { lang: 'fr' }).length).toBeGreaterThan(0);
  });
});
