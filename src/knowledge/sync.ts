/**
 * Syncing the knowledge folder into the article store: files are the source
 * admins keep in git, the store is what Guichet searches.
 *
 * Rules (planSync, pure):
 * - a file without a stored article is created;
 * - a file whose stored article came from a file ('file' source) and differs
 *   from it updates it (a new revision); a file that moved re-links it;
 * - an article curated in Guichet (chat, web, import, ticket) is never
 *   overwritten: it is `skipped` until `kb export` writes it to its file.
 *   When the file already holds the same content, the article simply goes
 *   back to source 'file';
 * - a 'file' article whose file is gone is retired (never deleted: its
 *   history and ratings stay); curated articles without a file are left alone.
 * Idempotent: a second run finds every article unchanged and writes nothing.
 * All-or-nothing: one saveAll; a folder with any content error syncs nothing.
 */
import type { Lang } from '../core/lang.ts';
import type { Article } from './article.ts';
import { contentHash, contentOf } from './article-change.ts';
import type { ArticleStore, StoredVersion } from './article-store.ts';
import type { FileCacheOptions } from './file-cache.ts';
import type { KnowledgeIssue } from './issues.ts';
import { parseFile, scanKnowledgeDir, type ScannedFile } from './load-knowledge-dir.ts';

export { contentHash } from './article-change.ts';

export const CURATED_REASON = 'curated in Guichet since the last export; run kb export';

/** A file's article as the plan compares it: a parsed Article, or a scanned file (its content hash, maybe not parsed). */
export type SyncFile = Pick<Article, 'id' | 'lang' | 'path'> & { contentHash?: string };

export interface SyncPlan<F extends SyncFile = Article, S extends StoredVersion = StoredVersion> {
  create: F[];
  /** 'content': a new revision; 'source': same text, re-linked to its file (moved, or curated then exported by hand). */
  update: { article: F; stored: S; change: 'content' | 'source' }[];
  /** 'file' articles whose file is gone (not yet retired). */
  retire: S[];
  unchanged: F[];
  /** Files whose article was curated in Guichet and differs: the store wins until an export. */
  skipped: { article: F; stored: S; reason: string }[];
}

/**
 * What a sync of `fileArticles` (each with `path` relative to the knowledge
 * folder) does to `stored` (every stored article, any status; only its
 * version is read). Pure.
 */
export function planSync<F extends SyncFile, S extends StoredVersion>(fileArticles: readonly F[], stored: readonly S[]): SyncPlan<F, S> {
  const plan: SyncPlan<F, S> = { create: [], update: [], retire: [], unchanged: [], skipped: [] };
  const byKey = new Map(stored.map((s) => [keyOf(s), s]));
  const inFiles = new Set<string>();
  for (const article of fileArticles) {
    inFiles.add(keyOf(article));
    const current = byKey.get(keyOf(article));
    if (!current) {
      plan.create.push(article);
      continue;
    }
    const same = hashOf(article) === current.contentHash;
    if (current.source !== 'file') {
      if (same) plan.update.push({ article, stored: current, change: 'source' });
      else plan.skipped.push({ article, stored: current, reason: CURATED_REASON });
    } else if (!same) plan.update.push({ article, stored: current, change: 'content' });
    else if (article.path !== undefined && article.path !== current.sourcePath) plan.update.push({ article, stored: current, change: 'source' });
    else plan.unchanged.push(article);
  }
  for (const s of stored) {
    if (s.source === 'file' && s.status !== 'retired' && !inFiles.has(keyOf(s))) plan.retire.push(s);
  }
  return plan;
}

/** A scanned file's hash as scanned; a parsed article's computed. */
const hashOf = (f: SyncFile): string => f.contentHash ?? contentHash(f as Article);

export interface SyncedArticle {
  id: string;
  lang: Lang;
  /** Relative to the knowledge folder. */
  path?: string;
}

export interface SyncReport {
  /** Content errors (file, field, problem): when there is any, nothing was written. */
  errors: KnowledgeIssue[];
  warnings: KnowledgeIssue[];
  created: SyncedArticle[];
  updated: (SyncedArticle & { change: 'content' | 'source' })[];
  retired: SyncedArticle[];
  unchanged: number;
  skipped: (SyncedArticle & { reason: string })[];
  /** Files read and parsed; with a file cache, only the changed ones and those the sync writes. */
  parsed: number;
}

export interface SyncOptions {
  /** Remember the files between syncs and parse only the changed ones (file-cache.ts). */
  fileCache?: FileCacheOptions;
}

/** Loads `dir` (the knowledge folder), plans, and applies the plan in one transaction. */
export async function syncKnowledge(store: ArticleStore, dir: string, serviceIds: readonly string[], options: SyncOptions = {}): Promise<SyncReport> {
  return (await syncKnowledgeListed(store, dir, serviceIds, options)).report;
}

/**
 * syncKnowledge, also giving every stored article's version as the sync read it when it wrote nothing
 * (the usual start: no file changed), so that the search index is loaded from that listing instead of a
 * second one.
 */
export async function syncKnowledgeListed(
  store: ArticleStore,
  dir: string,
  serviceIds: readonly string[],
  options: SyncOptions = {},
): Promise<{ report: SyncReport; versions?: StoredVersion[]; cacheError?: Error }> {
  const scan = scanKnowledgeDir(dir, serviceIds, options.fileCache);
  const report: SyncReport = { errors: scan.errors, warnings: scan.warnings, created: [], updated: [], retired: [], unchanged: 0, skipped: [], parsed: scan.parsed };
  const cacheError = scan.cacheError ? { cacheError: scan.cacheError } : {};
  if (scan.errors.length > 0) return { report, ...cacheError };
  const stored = await store.versions();
  const plan = planSync<ScannedFile, StoredVersion>(scan.files, stored);
  const retiring: Article[] = [];
  for (const s of plan.retire) {
    const full = await store.get(s.id, s.lang);
    if (full) retiring.push({ ...contentOf(full), status: 'retired' });
  }
  // Only the files written are parsed now (unchanged ones were skipped by the scan).
  const article = (f: ScannedFile): Article => {
    if (!f.article) report.parsed += 1;
    return parseFile(f, serviceIds);
  };
  const writes = [...plan.create.map(article), ...plan.update.map((u) => article(u.article)), ...retiring];
  if (writes.length > 0) await store.saveAll(writes, { source: 'file', reason: `sync from ${dir}` });
  report.created = plan.create.map(ref);
  report.updated = plan.update.map((u) => ({ ...ref(u.article), change: u.change }));
  report.retired = plan.retire.map((s) => ({ id: s.id, lang: s.lang, ...(s.sourcePath ? { path: s.sourcePath } : {}) }));
  report.unchanged = plan.unchanged.length;
  report.skipped = plan.skipped.map((s) => ({ ...ref(s.article), reason: s.reason }));
  return writes.length > 0 ? { report, ...cacheError } : { report, versions: stored, ...cacheError };
}

const LIST_CREATED_MAX = 20;

/** One line per change (created ones only when few) and a summary, for the CLI. */
export function describeSync(report: SyncReport): string[] {
  if (report.errors.length > 0) {
    return [...report.errors.map((e) => e.message), `kb sync: ${report.errors.length} error(s) in the knowledge folder: nothing synced`];
  }
  const name = (a: SyncedArticle): string => `${a.id} (${a.lang})${a.path ? ` ${a.path}` : ''}`;
  return [
    ...report.warnings.map((w) => w.message),
    // A first sync creates every article: list them only when there are few.
    ...(report.created.length <= LIST_CREATED_MAX ? report.created.map((a) => `created   ${name(a)}`) : []),
    ...report.updated.map((a) => `${a.change === 'content' ? 'updated ' : 'relinked'}  ${name(a)}`),
    ...report.retired.map((a) => `retired   ${name(a)} (file removed)`),
    ...report.skipped.map((a) => `skipped   ${name(a)}: ${a.reason}`),
    `kb sync: ${report.created.length} created, ${report.updated.length} updated, ${report.retired.length} retired, ` +
      `${report.unchanged} unchanged, ${report.skipped.length} skipped`,
  ];
}

const keyOf = (a: { id: string; lang: string }): string => `${a.id}/${a.lang}`;
const ref = (a: SyncFile): SyncedArticle => ({ id: a.id, lang: a.lang, ...(a.path ? { path: a.path } : {}) });
