/**
 * Exporting the store back to the knowledge folder, so that content curated
 * in chat, the web console or an import can be reviewed and kept in git.
 *
 * Every article whose file is missing or holds other content is written as
 * `<dir>/<lang>/<type-folder>/<ID>-<slug>.md` (serializeArticle), keeping the
 * path of the file it already has; then it is marked source 'file' with that
 * path, so that the next sync finds it unchanged. A retired article is
 * written only when its file exists (with `status: retired`): files are
 * never deleted, and an article retired before it ever had a file gets none.
 * An article that would not pass `kb lint` is not written (reported).
 * A file whose content equals the article is not rewritten, whatever its
 * YAML style or comments.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Lang } from '../core/lang.ts';
import { fold, normalize } from '../nlu/text.ts';
import { parseArticle, parseArticleFile, serializeArticle, TYPE_LAYOUT, type Article } from './article.ts';
import { contentHash, contentOf } from './article-change.ts';
import type { ArticleStore, StoredArticle } from './article-store.ts';
import type { KnowledgeIssue } from './issues.ts';

export interface ExportOptions {
  /** The ids of config/services.yml, to check each article as `kb lint` would; without them, services are not checked. */
  serviceIds?: readonly string[];
}

export interface ExportReport {
  /** Files written, relative to the folder. */
  written: { id: string; lang: Lang; path: string }[];
  /** Articles whose file already held the same content. */
  unchanged: number;
  /** Articles not written because they would not pass lint. */
  invalid: { id: string; lang: Lang; issues: KnowledgeIssue[] }[];
}

/** Longest slug, in characters (cut at a word boundary). */
const SLUG_MAX = 60;

/** "Mot de passe oublié : réinitialiser" → "mot-de-passe-oublie-reinitialiser": ASCII kebab-case, accents folded. */
export function slugOf(title: string): string {
  let slug = '';
  for (const word of fold(normalize(title)).split(/[^a-z0-9]+/).filter(Boolean)) {
    const longer = slug ? `${slug}-${word}` : word;
    if (longer.length > SLUG_MAX && slug) break;
    slug = longer.slice(0, SLUG_MAX);
  }
  return slug || 'article';
}

export async function exportKnowledge(store: ArticleStore, dir: string, options: ExportOptions = {}): Promise<ExportReport> {
  const report: ExportReport = { written: [], unchanged: 0, invalid: [] };
  const existing = existingFiles(dir);
  const relink: Article[] = [];
  for (const article of await store.list()) {
    const path = pathFor(article, existing);
    const full = join(dir, path);
    const hasFile = existsSync(full);
    if (article.status === 'retired' && !hasFile) continue;
    const text = serializeArticle(article);
    const { issues } = parseArticleFile(path, text, options.serviceIds ?? article.services);
    const errors = issues.filter((i) => i.severity === 'error');
    if (errors.length > 0) {
      report.invalid.push({ id: article.id, lang: article.lang, issues: errors });
      continue;
    }
    if (hasFile && sameContent(readFileSync(full, 'utf8'), article)) {
      report.unchanged += 1;
    } else {
      mkdirSync(dirname(full), { recursive: true });
      writeFileSync(full, text);
      report.written.push({ id: article.id, lang: article.lang, path });
    }
    if (article.source !== 'file' || article.sourcePath !== path) relink.push({ ...contentOf(article), path });
  }
  // Same content, source 'file': the store only re-links them (no new revision).
  if (relink.length > 0) await store.saveAll(relink, { source: 'file', reason: `export to ${dir}` });
  return report;
}

/** Whether a file holds the article's content (parsed with the article's own services: any other differs anyway). */
function sameContent(raw: string, article: StoredArticle): boolean {
  const parsed = parseArticle(raw, article.services).article;
  return parsed !== undefined && contentHash(parsed) === article.contentHash;
}

/** The article's file: its recorded path if it fits the layout, else a file of that id already there, else a new one. */
function pathFor(a: StoredArticle, existing: Map<string, string>): string {
  const prefix = `${a.lang}/${TYPE_LAYOUT[a.type].folder}/${a.id}-`;
  if (a.sourcePath?.startsWith(prefix) && a.sourcePath.endsWith('.md')) return a.sourcePath;
  return existing.get(prefix) ?? `${prefix}${slugOf(a.title)}.md`;
}

/** "<lang>/<folder>/<ID>-" → the first file of that id in the folder (sorted), relative to `dir`. */
function existingFiles(dir: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const lang of ['en', 'fr']) {
    for (const { folder } of Object.values(TYPE_LAYOUT)) {
      const sub = join(dir, lang, folder);
      if (!existsSync(sub)) continue;
      for (const name of readdirSync(sub).sort()) {
        const id = /^((?:FAQ|KE|PROC)-\d{4})-.*\.md$/.exec(name)?.[1];
        const key = `${lang}/${folder}/${id}-`;
        if (id && !found.has(key)) found.set(key, `${lang}/${folder}/${name}`);
      }
    }
  }
  return found;
}
