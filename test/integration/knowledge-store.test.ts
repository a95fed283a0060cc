/**
 * The knowledge base on the real database (SQLite, or PostgreSQL when DATABASE_URL is
 * postgresql://…): sync of the real knowledge/ folder, export, import, feedback, gaps, and the
 * kb CLI as a child process.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { serializeArticle } from '../../src/knowledge/article.ts';
import { exportKnowledge, slugOf } from '../../src/knowledge/export.ts';
import { importKnowledge } from '../../src/knowledge/import.ts';
import { loadKnowledgeDir } from '../../src/knowledge/load-knowledge-dir.ts';
import type { Article } from '../../src/knowledge/article.ts';
import type { ArticleStore } from '../../src/knowledge/article-store.ts';
import { MemoryArticleStore } from '../../src/knowledge/memory-article-store.ts';
import { loadServiceIds } from '../../src/catalog/services.ts';
import { CURATED_REASON, syncKnowledge } from '../../src/knowledge/sync.ts';
import { PrismaArticleStore } from '../../src/persistence/stores/articles.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { finished, runTs } from '../helpers/process.ts';

const serviceIds = loadServiceIds('config');
let t: TestDatabase;
let store: PrismaArticleStore;
const dirs: string[] = [];

const tempDir = (copyOf?: string): string => {
  const dir = mkdtempSync(join(tmpdir(), 'guichet-kb-'));
  dirs.push(dir);
  if (copyOf) cpSync(copyOf, dir, { recursive: true });
  return dir;
};
const counts = async () => ({
  articles: await t.db.client.article.count(),
  revisions: await t.db.client.articleRevision.count(),
  audit: await t.db.client.auditLog.count({ where: { entity: 'article' } }),
});
/** Test-only: AuditLog is append-only in Guichet, but each test starts from an empty knowledge base. */
const wipe = async () => {
  await t.db.client.article.deleteMany();
  await t.db.client.auditLog.deleteMany({ where: { entity: 'article' } });
  await t.db.client.unansweredQuery.deleteMany();
};
const timed = async <T>(label: string, work: () => Promise<T>): Promise<T> => {
  const started = performance.now();
  const result = await work();
  console.info(`[${t.db.provider}] ${label}: ${Math.round(performance.now() - started)} ms`);
  return result;
};

beforeAll(async () => {
  t = await createTestDatabase();
  store = new PrismaArticleStore(t.db);
});
afterAll(async () => {
  await t?.cleanup();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
beforeEach(wipe);

describe('sync of the real knowledge folder', () => {
  it('creates the 120 article versions once; a second run writes nothing', async () => {
    const first = await timed('first sync of knowledge/ (120 files)', () => syncKnowledge(store, 'knowledge', serviceIds));
    expect(first.errors).toEqual([]);
    expect(first.created).toHaveLength(120);
    expect(await counts()).toEqual({ articles: 120, revisions: 120, audit: 120 });
    const row = await store.get('FAQ-0002', 'fr');
    expect(row).toMatchObject({ source: 'file', revision: 1, status: 'published', sourcePath: expect.stringMatching(/^fr\/faq\/FAQ-0002-.+\.md$/) });

    const second = await timed('second sync (nothing to do)', () => syncKnowledge(store, 'knowledge', serviceIds));
    expect(second).toMatchObject({ created: [], updated: [], retired: [], skipped: [], unchanged: 120 });
    expect(await counts()).toEqual({ articles: 120, revisions: 120, audit: 120 });
    const audit = await t.db.client.auditLog.findFirst({ where: { entityId: 'FAQ-0002/fr' } });
    expect(audit).toMatchObject({ actorKind: 'system', actorId: null, action: 'article.create', before: null });
  });

  it('makes a new revision for an edited file, retires a removed one, and brings it back', async () => {
    const dir = tempDir('knowledge');
    await syncKnowledge(store, dir, serviceIds);
    const path = (await store.get('FAQ-0003', 'en'))?.sourcePath ?? '';
    const file = join(dir, path);
    const original = readFileSync(file, 'utf8');
    writeFileSync(file, original.replace(/^title: .*$/m, 'title: "My account is locked (10 failed attempts)"'));

    const edited = await syncKnowledge(store, dir, serviceIds);
    expect(edited.updated).toEqual([{ id: 'FAQ-0003', lang: 'en', path, change: 'content' }]);
    expect(edited.unchanged).toBe(119);
    expect(await counts()).toEqual({ articles: 120, revisions: 121, audit: 121 });
    const history = await store.revisions('FAQ-0003', 'en');
    expect(history.map((r) => [r.revision, r.content.title])).toEqual([
      [2, 'My account is locked (10 failed attempts)'],
      [1, expect.not.stringContaining('10 failed')],
    ]);
    const update = await t.db.client.auditLog.findFirst({ where: { entityId: 'FAQ-0003/en', action: 'article.update' } });
    expect(update?.after).toMatchObject({ title: 'My account is locked (10 failed attempts)', revision: 2 });

    unlinkSync(file);
    const removed = await syncKnowledge(store, dir, serviceIds);
    expect(removed.retired).toEqual([{ id: 'FAQ-0003', lang: 'en', path }]);
    expect(await store.get('FAQ-0003', 'en')).toMatchObject({ status: 'retired', revision: 3, source: 'file' });
    expect((await syncKnowledge(store, dir, serviceIds)).retired).toEqual([]);

    writeFileSync(file, original);
    const back = await syncKnowledge(store, dir, serviceIds);
    expect(back.updated.map((u) => u.id)).toEqual(['FAQ-0003']);
    expect(await store.get('FAQ-0003', 'en')).toMatchObject({ status: 'published', revision: 4 });
  });

  it('never overwrites an article curated in chat; an equal file takes it back to source file', async () => {
    const dir = tempDir('knowledge');
    await syncKnowledge(store, dir, serviceIds);
    const before = await store.get('KE-0002', 'fr');
    if (!before) throw new Error('KE-0002 (fr) not synced');
    const curated = { ...before, workaround: 'Choisissez le groupe VPN CORP-Compat dans Cisco Secure Client.' };
    expect(await store.save(curated, { source: 'chat', authorId: 'admin-7', reason: 'saved in chat as published' })).toBe('updated');

    const report = await syncKnowledge(store, dir, serviceIds);
    expect(report.skipped).toEqual([{ id: 'KE-0002', lang: 'fr', path: before.sourcePath, reason: CURATED_REASON }]);
    expect(await store.get('KE-0002', 'fr')).toMatchObject({ workaround: curated.workaround, source: 'chat', revision: 2 });
    const audit = await t.db.client.auditLog.findFirst({ where: { entityId: 'KE-0002/fr', action: 'article.update' } });
    expect(audit).toMatchObject({ actorKind: 'admin', actorId: 'admin-7', before: { workaround: before.workaround, source: 'file' } });

    writeFileSync(join(dir, before.sourcePath ?? ''), serializeArticle(curated));
    const relinked = await syncKnowledge(store, dir, serviceIds);
    expect(relinked.updated).toEqual([{ id: 'KE-0002', lang: 'fr', path: before.sourcePath, change: 'source' }]);
    expect(await store.get('KE-0002', 'fr')).toMatchObject({ source: 'file', revision: 2 });
    expect((await store.revisions('KE-0002', 'fr')).length).toBe(2);
  });

  it('reports every content error and syncs nothing', async () => {
    const dir = tempDir('knowledge');
    const broken = join(dir, 'en/faq/FAQ-0001-change-password-and-expiry.md');
    writeFileSync(broken, readFileSync(broken, 'utf8').replace('services: [identity]', 'services: [mail]').replace(/^status: .*$/m, 'status: live'));
    const report = await syncKnowledge(store, dir, serviceIds);
    expect(report.errors.map((e) => [e.file.endsWith('FAQ-0001-change-password-and-expiry.md'), e.field])).toEqual([
      [true, 'services'],
      [true, 'status'],
    ]);
    expect(await counts()).toEqual({ articles: 0, revisions: 0, audit: 0 });
  });
});

describe('export', () => {
  it('round-trips: export to an empty folder, wipe, re-sync gives the same articles', async () => {
    const dir = tempDir('knowledge');
    await syncKnowledge(store, dir, serviceIds);
    const ke = await store.get('KE-0005', 'en');
    await store.save({ ...ke!, title: 'Teams shows a blank white window after an update' }, { source: 'chat', authorId: 'admin-1', reason: 'edited in chat' });
    await store.setStatus('FAQ-0010', 'fr', 'retired', { authorId: 'admin-1', reason: 'retired in chat' });
    await store.save(
      { ...ke!, id: 'FAQ-0031', type: 'faq', cause: undefined, workaround: undefined, title: 'Écran noir après la mise en veille ?', status: 'draft' },
      { source: 'web', authorId: 'admin-1', reason: 'new in the web console' },
    );

    const out = tempDir();
    const exported = await exportKnowledge(store, out, { serviceIds });
    expect(exported.invalid).toEqual([]);
    expect(exported.written).toHaveLength(120); // 121 articles, FAQ-0010 (fr) retired without a file there
    expect(exported.written).toContainEqual({ id: 'FAQ-0031', lang: 'en', path: 'en/faq/FAQ-0031-ecran-noir-apres-la-mise-en-veille.md' });
    expect(await store.get('KE-0005', 'en')).toMatchObject({ source: 'file', revision: 2 });
    const again = await exportKnowledge(store, out, { serviceIds });
    expect(again).toEqual({ written: [], unchanged: 120, invalid: [] });
    const settled = await counts();
    expect(await syncKnowledge(store, out, serviceIds)).toMatchObject({ created: [], updated: [], retired: [], skipped: [], unchanged: 120 });
    expect(await counts()).toEqual(settled);

    const serialized = async () => (await store.list({ statuses: ['draft', 'published'] })).map((a) => `${a.sourcePath}\n${serializeArticle(a)}`);
    const snapshot = await serialized();
    await wipe();
    expect((await syncKnowledge(store, out, serviceIds)).created).toHaveLength(120);
    expect(await serialized()).toEqual(snapshot);
  });

  it('writes status retired into the existing file of an article retired in chat, and keeps its path', async () => {
    const dir = tempDir('knowledge');
    await syncKnowledge(store, dir, serviceIds);
    const path = (await store.get('PROC-0004', 'en'))?.sourcePath ?? '';
    await store.setStatus('PROC-0004', 'en', 'retired', { authorId: 'admin-1', reason: 'retired in chat' });
    expect((await syncKnowledge(store, dir, serviceIds)).skipped.map((s) => s.id)).toEqual(['PROC-0004']);

    const report = await exportKnowledge(store, dir, { serviceIds });
    expect(report.written).toEqual([{ id: 'PROC-0004', lang: 'en', path }]);
    expect(readFileSync(join(dir, path), 'utf8')).toMatch(/^status: retired$/m);
    expect(await syncKnowledge(store, dir, serviceIds)).toMatchObject({ updated: [], skipped: [], unchanged: 120 });
  });

  it('slugs titles as ASCII kebab-case', () => {
    expect(slugOf("L'imprimante « Canon » n'imprime plus (erreur 0x80070005) !")).toBe('l-imprimante-canon-n-imprime-plus-erreur-0x80070005');
    expect(slugOf('Œuvre — déjà vu')).toBe('oeuvre-deja-vu');
    expect(slugOf('???')).toBe('article');
    expect(slugOf('word '.repeat(40)).length).toBeLessThanOrEqual(60);
  });
});

const BODY = (lang: 'en' | 'fr') =>
  lang === 'en'
    ? 'Open Company Portal and install "Reconnect network drives".\n\n## Steps\n1. Open **Company Portal**.\n2. Choose **Reconnect network drives** › **Install**.\n\n## If this does not work\nAsk Guichet for a ticket.'
    : 'Ouvrez le Portail d\'entreprise et installez « Reconnect network drives ».\n\n## Étapes\n1. Ouvrez le **Portail d\'entreprise**.\n2. Choisissez **Reconnect network drives** › **Installer**.';

describe('import', () => {
  const csvHeader = 'id,type,lang,title,tags,services,symptoms,cause,workaround,status,updated,body';
  const csvRow = (cells: string[]) => cells.map((c) => `"${c.replace(/"/g, '""')}"`).join(',');
  const goodCsv = [
    csvHeader,
    csvRow(['', 'faq', 'en', 'My S: drive is missing', 'drive; s-drive ;network-drive', 'file-shares', 'S: drive is gone;no shared drive', '', '', 'published', '2026-10-01', BODY('en')]),
    csvRow(['KE-0042', 'known-error', 'fr', 'Lecteur S: absent après le VPN', 'lecteur;vpn;partage', 'file-shares;vpn', 'plus de lecteur S:;S: a disparu', 'Le script de connexion ne tourne pas en VPN.', 'Installez « Reconnect network drives ».', '', '', BODY('fr')]),
  ].join('\n');

  it('imports CSV rows as source import, giving the next free id to rows without one', async () => {
    await syncKnowledge(store, 'knowledge', serviceIds);
    const file = join(tempDir(), 'kb.csv');
    writeFileSync(file, `\uFEFF${goodCsv}\r\n`);
    const report = await importKnowledge(store, file, serviceIds, { today: '2026-11-02' });
    expect(report.errors).toEqual([]);
    expect(report.imported).toEqual([
      { id: 'FAQ-0031', lang: 'en', line: 2, outcome: 'created' },
      { id: 'KE-0042', lang: 'fr', line: 10, outcome: 'created' }, // the quoted body of line 2 spans lines 2–9
    ]);
    expect(await store.get('FAQ-0031', 'en')).toMatchObject({ source: 'import', tags: ['drive', 's-drive', 'network-drive'], symptoms: ['S: drive is gone', 'no shared drive'] });
    expect(await store.get('KE-0042', 'fr')).toMatchObject({ status: 'draft', updated: '2026-11-02', services: ['file-shares', 'vpn'], body: BODY('fr') });
    const again = await importKnowledge(store, file, serviceIds, { today: '2026-11-02' });
    expect(again.imported.map((i) => [i.id, i.outcome])).toEqual([
      ['FAQ-0032', 'created'], // no id: a new one again
      ['KE-0042', 'unchanged'],
    ]);
  });

  it('imports JSONL with arrays', async () => {
    const file = join(tempDir(), 'kb.jsonl');
    const rows = [
      { type: 'procedure', lang: 'en', title: 'Reconnect my network drives', tags: ['drive', 'network', 'portal'], services: ['file-shares'], symptoms: ['drives are missing', 'no H: drive'], body: BODY('en'), status: 'published' },
      { id: 'PROC-0001', type: 'procedure', lang: 'fr', title: 'Reconnecter mes lecteurs réseau', tags: ['lecteur', 'réseau', 'portail'], services: ['file-shares'], symptoms: ['plus de lecteurs', 'pas de H:'], body: BODY('fr'), cause: null },
    ];
    writeFileSync(file, `${rows.map((r) => JSON.stringify(r)).join('\n')}\n\n`);
    const report = await importKnowledge(store, file, serviceIds);
    expect(report.errors).toEqual([]);
    expect(report.imported.map((i) => [i.id, i.lang, i.line])).toEqual([
      ['PROC-0002', 'en', 1],
      ['PROC-0001', 'fr', 2],
    ]);
    expect(await store.list()).toHaveLength(2);
  });

  it('imports nothing when one row is wrong, naming the line and the field', async () => {
    const dir = tempDir();
    const csv = join(dir, 'bad.csv');
    const badRow = csvRow(['', 'faq', 'en', 'Printer jams', 'printer;jam;paper', 'printing;mail', 'paper jam;printer stuck', '', '', 'published', '', BODY('en')]);
    writeFileSync(csv, `${goodCsv}\n${badRow}\n`);
    const before = await counts();
    const report = await importKnowledge(store, csv, serviceIds);
    expect(report.imported).toEqual([]);
    expect(report.errors.map((e) => [e.line, e.field])).toEqual([[15, 'services']]); // rows start on lines 2, 10 and 15
    expect(report.errors[0]?.message).toMatch(/^knowledge: bad\.csv:15: field "services": unknown service "mail"/);
    expect(await counts()).toEqual(before);

    const jsonl = join(dir, 'bad.jsonl');
    writeFileSync(jsonl, ['{"type":"faq","lang":"en","title":"x","tags":"a;b;c","services":["identity"],"symptoms":["a","b"],"body":"b"}', '{not json', '{"type":"memo"}'].join('\n'));
    const bad = await importKnowledge(store, jsonl, serviceIds);
    expect(bad.errors.map((e) => [e.line, e.field])).toEqual([[2, null]]);
    writeFileSync(jsonl, ['{"type":"faq","lang":"en","title":"x","tags":"a;b;c","services":["identity"],"symptoms":["a","b"],"body":"b"}', '{"type":"memo","colour":"red"}'].join('\n'));
    const invalid = await importKnowledge(store, jsonl, serviceIds);
    expect(invalid.errors.map((e) => [e.line, e.field])).toEqual(
      expect.arrayContaining([
        [1, 'tags'],
        [2, 'colour'],
        [2, 'type'],
      ]),
    );
    expect(invalid.errors.some((e) => e.line === 2 && e.field === 'id')).toBe(false);
    expect(await counts()).toEqual(before);
  });

  it('refuses unknown or missing CSV columns on line 1', async () => {
    const file = join(tempDir(), 'cols.csv');
    writeFileSync(file, 'id,type,lang,titel,tags,services,symptoms\n,faq,en,x,a,identity,b\n');
    const report = await importKnowledge(store, file, serviceIds);
    expect(report.errors.map((e) => [e.line, e.field, e.problem.split(' (')[0]])).toEqual([
      [1, 'titel', 'unknown column'],
      [1, 'title', 'missing column'],
      [1, 'body', 'missing column'],
    ]);
  });
});

describe('feedback and knowledge gaps', () => {
  it('counts ratings atomically, over every language of an article', async () => {
    await syncKnowledge(store, 'knowledge', serviceIds);
    const votes = Array.from({ length: 12 }, (_, i) => store.recordFeedback({ articleId: 'FAQ-0002', lang: i % 2 ? 'fr' : 'en', helpful: i % 3 !== 0, query: 'mdp oublié' }));
    await Promise.all(votes);
    expect(await store.recordFeedback({ articleId: 'FAQ-0002', lang: 'fr', helpful: true })).toEqual({ helpful: 9, notHelpful: 4 });
    expect(await store.feedbackTotals()).toEqual(new Map([['FAQ-0002', { helpful: 9, notHelpful: 4 }]]));
    expect(await t.db.client.answerFeedback.count()).toBe(13);
    await expect(store.recordFeedback({ articleId: 'FAQ-0999', lang: 'fr', helpful: true })).rejects.toMatchObject({ code: 'knowledge.unknown-article' });
    // A rating is not a content change.
    expect(await store.get('FAQ-0002', 'fr')).toMatchObject({ revision: 1 });
  });

  it('counts repeats of one unanswered question', async () => {
    for (const text of ['Imprimante HS ?', 'imprimante hs', 'wifi guest code', 'Imprimante  HS']) {
      await store.recordGap({ text, normalized: text.toLowerCase().replace(/[^a-z ]/g, '').replace(/\s+/g, ' ').trim(), lang: text.startsWith('wifi') ? 'en' : 'fr', bestScore: 0.2 });
    }
    expect(await store.topGaps(5)).toEqual([
      { normalized: 'imprimante hs', example: 'Imprimante  HS', lang: 'fr', count: 3 },
      { normalized: 'wifi guest code', example: 'wifi guest code', lang: 'en', count: 1 },
    ]);
    expect(await store.topGaps(1)).toHaveLength(1);
    expect(await store.topGaps(5, new Date(Date.now() + 60_000))).toEqual([]);
  });

  it('gives the next free id per type', async () => {
    expect(await store.nextId('faq')).toBe('FAQ-0001');
    await syncKnowledge(store, 'knowledge', serviceIds);
    expect([await store.nextId('faq'), await store.nextId('known-error'), await store.nextId('procedure')]).toEqual(['FAQ-0031', 'KE-0021', 'PROC-0011']);
  });
});

describe('MemoryArticleStore', () => {
  /** The same calls on any store; what they return and what they leave behind. */
  const script = async (s: ArticleStore) => {
    const [faq, ke] = loadKnowledgeDir('test/fixtures/knowledge', serviceIds).articles.filter((a) => a.lang === 'en' && ['FAQ-0001', 'KE-0001'].includes(a.id)) as [Article, Article];
    const out: unknown[] = [
      await s.save(faq, { source: 'file', reason: 'sync' }),
      await s.save(faq, { source: 'file', reason: 'sync' }),
      await s.save({ ...faq, title: 'Forgot your password?' }, { source: 'chat', authorId: 'admin-1', reason: 'chat' }),
      await s.save({ ...faq, title: 'Forgot your password?' }, { source: 'web', authorId: 'admin-2', reason: 'same text' }),
      await s.setStatus(faq.id, 'en', 'retired', { authorId: 'admin-1', reason: 'retire' }),
      await s.setStatus(faq.id, 'en', 'retired', { reason: 'again' }),
      await s.setStatus('FAQ-0999', 'en', 'retired', { reason: 'none' }),
      await s.save({ ...faq, title: 'Forgot your password?', status: 'retired' }, { source: 'file', sourcePath: 'en/faq/FAQ-0001-x.md', reason: 'export' }),
      await s.saveAll([ke, { ...ke, lang: 'fr' }], { source: 'import', reason: 'import' }),
      await s.saveAll([ke, ke], { source: 'import', reason: 'twice' }).catch((e: { code: string }) => e.code),
      await s.nextId('faq'),
      await s.nextId('procedure'),
      await s.recordFeedback({ articleId: ke.id, lang: 'fr', helpful: false }),
      await s.recordFeedback({ articleId: ke.id, lang: 'en', helpful: true }),
      await s.feedbackTotals(),
      await s.list(),
      await s.list({ statuses: ['published'], lang: 'fr' }),
      (await s.revisions(faq.id, 'en')).map(({ at: _at, ...r }) => r),
    ];
    return out;
  };

  it('behaves as PrismaArticleStore does (outcomes, contents, revisions, audit rows)', async () => {
    const memory = new MemoryArticleStore();
    const fromMemory = await script(memory);
    expect(await script(store)).toEqual(fromMemory);
    const rows = await t.db.client.auditLog.findMany({ where: { entity: 'article' }, orderBy: [{ at: 'asc' }, { id: 'asc' }] });
    const pick = (a: { action: string; actorKind: string; actorId: string | null; entityId: string; before: unknown; after: unknown }) =>
      [a.action, a.actorKind, a.actorId, a.entityId, a.before ?? null, a.after];
    expect(rows.map(pick).sort()).toEqual(memory.audit.map(pick).sort());
    expect(memory.audit.map((a) => a.action)).toEqual(['article.create', 'article.update', 'article.status', 'article.source', 'article.create', 'article.create']);
  });
});

// Each command is a child process (tsx, Prisma, migrations check): a few seconds each on a busy machine.
describe('npm run kb (src/cli/kb.ts)', { timeout: 90_000 }, () => {
  let cli: TestDatabase;
  beforeAll(async () => {
    cli = await createTestDatabase();
  });
  afterAll(async () => {
    await cli?.cleanup();
  });
  const kb = (args: string[], env: Record<string, string> = {}) => finished(runTs('src/cli/kb.ts', args, { DATABASE_URL: cli.url, ...env }));

  it('lints the real folder clean, and a broken copy with exit code 1, naming the file', async () => {
    const ok = await kb(['lint']);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('kb lint: 120 article(s) in knowledge, 0 error(s), 0 warning(s)');
    const dir = tempDir('knowledge');
    const file = join(dir, 'fr/faq/FAQ-0002-mdp-oublie-reinitialisation.md');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/^title: .*\n/m, ''));
    const bad = await kb(['lint'], { KNOWLEDGE_DIR: dir });
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/FAQ-0002-mdp-oublie-reinitialisation\.md: field "title": missing/);
    expect(bad.stdout).toContain('1 error(s)');
  });

  it('syncs, then answers "mdp oublié" from the database', async () => {
    const sync = await kb(['sync']);
    expect(sync.stderr).toBe('');
    expect(sync.stdout).toContain('kb sync: 120 created, 0 updated, 0 retired, 0 unchanged, 0 skipped');
    const search = await kb(['search', 'mdp oublié']);
    expect(search.code).toBe(0);
    expect(search.stdout).toMatch(/^answer: FAQ-0002 \(fr\) "Mot de passe oublié/m);
    expect(search.stdout).toMatch(/confidence \d+ %/);
  });

  it('imports a CSV file and exports it to the knowledge folder', async () => {
    const dir = tempDir('knowledge');
    const csv = join(tempDir(), 'kb.csv');
    writeFileSync(csv, goodCsvForCli());
    const imported = await kb(['import', csv], { KNOWLEDGE_DIR: dir });
    expect(imported.stdout).toContain('1 created');
    const exported = await kb(['export'], { KNOWLEDGE_DIR: dir });
    expect(exported.code).toBe(0);
    expect(exported.stdout).toMatch(/wrote {5}en\/faq\/FAQ-0031-my-s-drive-is-missing\.md/);
    expect(exported.stdout).toContain('1 file(s) written');
    expect(loadKnowledgeDir(dir, serviceIds).errors).toEqual([]);
  });

  it('prints the usage on an unknown command', async () => {
    const r = await kb(['publish']);
    expect(r.code).toBe(64);
    expect(r.stderr).toContain('usage: npm run kb -- lint | sync | export | import <file>');
  });
});

function goodCsvForCli(): string {
  const row = ['', 'faq', 'en', 'My S: drive is missing', 'drive;s-drive;network-drive', 'file-shares', 'S: drive is gone;no shared drive', '', '', 'published', '2026-10-01', BODY('en')];
  return `id,type,lang,title,tags,services,symptoms,cause,workaround,status,updated,body\n${row.map((c) => `"${c.replace(/"/g, '""')}"`).join(',')}\n`;
}
