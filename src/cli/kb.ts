/**
 * The knowledge base from the command line.
 *
 *   npm run kb -- lint                  check every file of the knowledge folder; exit 1 on any error
 *   npm run kb -- sync                  files → database (idempotent; retires articles whose file is gone)
 *   npm run kb -- export                database → files (articles curated in Guichet, or without a file)
 *   npm run kb -- import <file>         CSV or JSON Lines (see knowledge/README.md); all or nothing
 *   npm run kb -- import --from-glpi [--service <id>] [--lang fr|en]
 *                                       GLPI's knowledge base (KnowbaseItem) as drafts, then written to knowledge/
 *   npm run kb -- search "<query>" [--lang fr|en]   what users would get: answer, choose or none
 *
 * Settings (read by loadCliConfig, src/config.ts): KNOWLEDGE_DIR (default knowledge), CONFIG_DIR
 * (default config: services.yml), DATABASE_URL (default file:./data/guichet.db; pending migrations are
 * applied), DEFAULT_LOCALE (the language of a search query that does not tell, default fr).
 */
import '../bootstrap-env.ts';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadCliConfig } from '../config.ts';
import { isGuichetError } from '../core/errors.ts';
import { toLang, type Lang } from '../core/lang.ts';
import { loadKnowledgeDir } from '../knowledge/load-knowledge-dir.ts';
import type { SearchHit } from '../knowledge/search/knowledge-search.ts';
import { loadServiceIds } from '../catalog/services.ts';
import { loadSynonymFile, type SynonymRule } from '../nlu/synonyms.ts';
import type { PrismaArticleStore } from '../persistence/stores/articles.ts';
import { run, usageError } from './run.ts';

// The database, the search index and their dependencies load only for the commands that use
// them: `kb lint` runs in pre-commit hooks and CI, and should start fast.
const USAGE = 'usage: npm run kb -- lint | sync | export | import <file> | import --from-glpi [--service <id>] [--lang fr|en] | search "<query>" [--lang fr|en]';

/** What the commands read from the settings. */
interface Settings {
  knowledgeDir: string;
  configDir: string;
  databaseUrl: string;
  defaultLang: Lang;
}

const seconds = (since: number): string => `${((performance.now() - since) / 1000).toFixed(2)} s`;
const synonymsFile = (settings: Settings): string => join(settings.knowledgeDir, 'synonyms.yml');
const loadSynonyms = (settings: Settings): SynonymRule[] => (existsSync(synonymsFile(settings)) ? loadSynonymFile(synonymsFile(settings)) : []);

function lint(settings: Settings): number {
  if (!existsSync(settings.knowledgeDir)) {
    console.error(`kb lint: no knowledge folder "${settings.knowledgeDir}" (KNOWLEDGE_DIR)`);
    return 1;
  }
  const load = loadKnowledgeDir(settings.knowledgeDir, loadServiceIds(settings.configDir));
  const problems = [...load.errors, ...load.warnings].map((i) => i.message);
  let synonymErrors = 0;
  try {
    loadSynonyms(settings);
  } catch (error) {
    if (!isGuichetError(error)) throw error;
    problems.push(error.message);
    synonymErrors = 1;
  }
  for (const line of problems) console.log(line);
  const errors = load.errors.length + synonymErrors;
  console.log(`kb lint: ${load.articles.length} article(s) in ${settings.knowledgeDir}, ${errors} error(s), ${load.warnings.length} warning(s)`);
  return errors > 0 ? 1 : 0;
}

/** Runs `work` on the article store of DATABASE_URL (migrated first), then closes it. */
async function withStore<T>(settings: Settings, work: (store: PrismaArticleStore) => Promise<T>): Promise<T> {
  const [{ openDatabase }, { PrismaArticleStore }] = await Promise.all([import('../persistence/database.ts'), import('../persistence/stores/articles.ts')]);
  const db = await openDatabase(settings.databaseUrl, { migrate: true });
  try {
    return await work(new PrismaArticleStore(db));
  } finally {
    await db.close();
  }
}

async function sync(settings: Settings): Promise<number> {
  const serviceIds = loadServiceIds(settings.configDir);
  const { describeSync, syncKnowledge } = await import('../knowledge/sync.ts');
  return withStore(settings, async (store) => {
    const started = performance.now();
    const report = await syncKnowledge(store, settings.knowledgeDir, serviceIds);
    for (const line of describeSync(report)) console.log(line);
    if (report.errors.length === 0) console.log(`kb sync: done in ${seconds(started)}`);
    return report.errors.length > 0 ? 1 : 0;
  });
}

async function exportFiles(settings: Settings): Promise<number> {
  const serviceIds = loadServiceIds(settings.configDir);
  const { exportKnowledge } = await import('../knowledge/export.ts');
  return withStore(settings, async (store) => {
    const report = await exportKnowledge(store, settings.knowledgeDir, { serviceIds });
    for (const w of report.written) console.log(`wrote     ${w.path}`);
    for (const bad of report.invalid) {
      for (const i of bad.issues) console.log(`not written: ${bad.id} (${bad.lang}):${i.field ? ` field "${i.field}":` : ''} ${i.problem}`);
    }
    console.log(`kb export: ${report.written.length} file(s) written to ${settings.knowledgeDir}, ${report.unchanged} already up to date, ${report.invalid.length} not written (invalid)`);
    return report.invalid.length > 0 ? 1 : 0;
  });
}

async function importFile(settings: Settings, file: string | undefined): Promise<number> {
  if (!file) return usageError(USAGE);
  const serviceIds = loadServiceIds(settings.configDir);
  const { describeImport, importKnowledge } = await import('../knowledge/import.ts');
  return withStore(settings, async (store) => {
    const report = await importKnowledge(store, file, serviceIds);
    for (const line of describeImport(report, file)) console.log(line);
    return report.errors.length > 0 ? 1 : 0;
  });
}

/** GLPI's KnowbaseItems (GLPI_URL, GLPI_APP_TOKEN, GLPI_USER_TOKEN) imported as drafts, then exported to the knowledge folder. */
async function importFromGlpi(settings: Settings, glpi: { url?: string; appToken?: string; userToken?: string; timeoutMs: number }, service: string | undefined, lang: Lang): Promise<number> {
  if (!glpi.url || !glpi.userToken) {
    console.error('kb import --from-glpi: set GLPI_URL and GLPI_USER_TOKEN (and GLPI_APP_TOKEN if the API client has one)');
    return 2;
  }
  const serviceIds = loadServiceIds(settings.configDir);
  const filedUnder = service ?? serviceIds[0];
  if (!filedUnder || !serviceIds.includes(filedUnder)) {
    console.error(`kb import --from-glpi: unknown service "${filedUnder ?? ''}" (known: ${serviceIds.join(', ')})`);
    return 2;
  }
  const [{ GlpiClient }, { knowbaseRows }, { describeImport, importRows }, { exportKnowledge }] = await Promise.all([
    import('../connectors/glpi/client.ts'),
    import('../connectors/glpi/knowbase.ts'),
    import('../knowledge/import.ts'),
    import('../knowledge/export.ts'),
  ]);
  const client = new GlpiClient({ url: glpi.url, appToken: glpi.appToken, userToken: glpi.userToken, timeoutMs: glpi.timeoutMs });
  try {
    const rows = await knowbaseRows(client, { lang, service: filedUnder });
    return await withStore(settings, async (store) => {
      const report = await importRows(store, rows, serviceIds, 'GLPI KnowbaseItem');
      for (const line of describeImport(report, 'GLPI')) console.log(line);
      if (report.errors.length > 0) return 1;
      const written = await exportKnowledge(store, settings.knowledgeDir, { serviceIds });
      console.log(`kb import: ${written.written.length} file(s) written to ${settings.knowledgeDir}`);
      return written.invalid.length > 0 ? 1 : 0;
    });
  } finally {
    await client.close();
  }
}

async function search(settings: Settings, query: string, langOption: string | undefined): Promise<number> {
  const [{ detectLanguage }, { buildKnowledgeIndex }] = await Promise.all([import('../nlu/language.ts'), import('../knowledge/search/knowledge-search.ts')]);
  const lang = langOption === undefined ? detectLanguage(query, settings.defaultLang).lang : toLang(langOption);
  if (!query.trim() || !lang || (langOption !== undefined && langOption.length !== 2)) return usageError(USAGE);
  const synonyms = loadSynonyms(settings);
  return withStore(settings, async (store) => {
    const published = await store.list({ statuses: ['published'] });
    const index = buildKnowledgeIndex(published, { synonyms });
    for (const [id, t] of await store.feedbackTotals()) index.applyFeedback(id, t.helpful, t.notHelpful);
    const decision = index.answer(query, { lang });
    const hits = index.search(query, { lang, limit: 5 });
    console.log(`kb search: "${query}" (${lang}, ${published.length} published article versions)`);
    console.log(describeDecision(decision));
    hits.forEach((h, i) => {
      console.log(`  ${i + 1}. ${name(h)}  confidence ${percent(h.confidence)}, score ${h.score.toFixed(2)}`);
      for (const line of h.highlights ?? []) console.log(`       › ${line}`);
    });
    return 0;
  });
}

type Decision = import('../knowledge/search/answer.ts').Answer;

function describeDecision(d: Decision): string {
  switch (d.kind) {
    case 'answer':
      return `answer: ${name(d.best)} (confidence ${percent(d.best.confidence)})`;
    case 'choose':
      return `choose: ${d.options.map((o) => `${name(o)} (${percent(o.confidence)})`).join(' | ')}`;
    case 'none':
      return d.best ? `none: best was ${name(d.best)} (confidence ${percent(d.best.confidence)})` : 'none: no article matches';
  }
}

const name = (h: SearchHit): string => `${h.article.id} (${h.article.lang}) "${h.article.title}"`;
const percent = (p: number): string => `${Math.round(p * 100)} %`;

async function main(): Promise<number> {
  const { positionals, values } = parseArgs({ allowPositionals: true, options: { lang: { type: 'string' }, help: { type: 'boolean', short: 'h' }, 'from-glpi': { type: 'boolean' }, service: { type: 'string' } } });
  const [command, ...rest] = positionals;
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const config = loadCliConfig();
  const settings: Settings = { knowledgeDir: config.KNOWLEDGE_DIR, configDir: config.CONFIG_DIR, databaseUrl: config.DATABASE_URL, defaultLang: config.DEFAULT_LOCALE };
  switch (command) {
    case 'lint':
      return lint(settings);
    case 'sync':
      return sync(settings);
    case 'export':
      return exportFiles(settings);
    case 'import':
      if (values['from-glpi']) {
        const glpi = { url: config.GLPI_URL, appToken: config.GLPI_APP_TOKEN, userToken: config.GLPI_USER_TOKEN, timeoutMs: config.GLPI_TIMEOUT_MS };
        return importFromGlpi(settings, glpi, values.service, toLang(values.lang) ?? settings.defaultLang);
      }
      return importFile(settings, rest[0]);
    case 'search':
      return search(settings, rest.join(' '), values.lang);
    default:
      return usageError(USAGE);
  }
}

run(main);
