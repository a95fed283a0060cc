/**
 * Loads every article of a knowledge folder (`<dir>/<lang>/<type-folder>/*.md`)
 * and checks what no single file can: one article per id and language, and
 * each id translated into every language (a missing translation is a warning:
 * users of the other language get the fallback language).
 *
 * `scanKnowledgeDir` does the same with a file cache (file-cache.ts): files
 * unchanged since the last scan are not read or parsed, they come back as
 * their id, language and content hash only (`article` absent; `parseFile`
 * reads one when a sync must write it).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, isAbsolute, resolve } from 'node:path';
import { LANGS, type Lang } from '../core/lang.ts';
import { parseArticleFile, type Article } from './article.ts';
import { contentHash } from './article-change.ts';
import { readFileMemory, shaOf, writeFileMemory, type FileCacheOptions, type FileMemory } from './file-cache.ts';
import { issue, type KnowledgeIssue } from './issues.ts';

export interface KnowledgeLoad {
  /** Articles without errors (possibly with warnings), sorted by id then language. */
  articles: Article[];
  errors: KnowledgeIssue[];
  warnings: KnowledgeIssue[];
}

/** An article file of a scan: what the sync compares; `article` only when the file was parsed. */
export interface ScannedFile {
  id: string;
  lang: Lang;
  services: readonly string[];
  /** Relative to the knowledge folder, with forward slashes. */
  path: string;
  contentHash: string;
  /** The absolute path, to parse the file later. */
  full: string;
  article?: Article;
}

export interface KnowledgeScan {
  /** Files without errors, sorted by id then language. */
  files: ScannedFile[];
  errors: KnowledgeIssue[];
  warnings: KnowledgeIssue[];
  /** Files read and parsed (the others were unchanged since the cached scan). */
  parsed: number;
  /** Whether the file cache could not be saved (the next start parses again). */
  cacheError?: Error;
}

/** Markdown files under `dir`, except README.md files; sorted for a stable order. */
function markdownFiles(dir: string): string[] {
  const out: string[] = [];
  // Entry types from the listing itself: a stat per entry cost 10,000 more system calls per start (bench:memory).
  const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const full = join(dir, entry.name);
    if (entry.isDirectory() || (entry.isSymbolicLink() && statSync(full).isDirectory())) out.push(...markdownFiles(full));
    else if (entry.name.endsWith('.md') && entry.name.toLowerCase() !== 'readme.md') out.push(full);
  }
  return out;
}

/** How a file is named in messages: relative to the working directory when it is under it. */
function displayPath(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel.replace(/\\/g, '/') : file;
}

export function loadKnowledgeDir(dir: string, knownServiceIds: readonly string[]): KnowledgeLoad {
  const scan = scanKnowledgeDir(dir, knownServiceIds);
  // Without a cache every file is parsed: `article` is always set.
  return { articles: scan.files.map((f) => ({ ...f.article!, path: displayPath(f.full) })), errors: scan.errors, warnings: scan.warnings };
}

/** The article of a scanned file, parsed now when the scan skipped it (path relative to the folder, as in ScannedFile). */
export function parseFile(file: ScannedFile, knownServiceIds: readonly string[]): Article {
  if (file.article) return file.article;
  const { article, issues } = parseArticleFile(displayPath(file.full), readFileSync(file.full, 'utf8'), knownServiceIds);
  if (!article) throw new Error(issues.map((i) => i.message).join('\n') || `knowledge: ${file.full} changed during the sync`);
  return { ...article, path: file.path };
}

export function scanKnowledgeDir(dir: string, knownServiceIds: readonly string[], cache?: FileCacheOptions): KnowledgeScan {
  const root = resolve(dir);
  const memory: FileMemory = cache ? readFileMemory(cache, dir, knownServiceIds) : new Map();
  const next: FileMemory = new Map();
  const files: ScannedFile[] = [];
  const found: KnowledgeIssue[] = [];
  let parsed = 0;
  let changed = false;
  for (const full of markdownFiles(dir)) {
    const path = relative(root, resolve(full)).replace(/\\/g, '/');
    const stat = statSync(full);
    let known = memory.get(path);
    let bytes: Buffer | undefined;
    if (known && (known.size !== stat.size || known.mtimeMs !== stat.mtimeMs)) {
      bytes = readFileSync(full);
      // Touched but identical bytes (a checkout): still unchanged, remembered with its new time.
      known = shaOf(bytes) === known.sha ? { ...known, size: stat.size, mtimeMs: stat.mtimeMs } : undefined;
      changed = true;
    }
    if (known) {
      next.set(path, known);
      found.push(...known.issues);
      files.push({ id: known.id, lang: known.lang, services: known.services, path, contentHash: known.contentHash, full });
      continue;
    }
    bytes ??= readFileSync(full);
    parsed += 1;
    changed = true;
    const { article, issues } = parseArticleFile(displayPath(full), bytes.toString('utf8'), knownServiceIds);
    found.push(...issues);
    if (!article) continue;
    const hash = contentHash(article);
    files.push({ id: article.id, lang: article.lang, services: article.services, path, contentHash: hash, full, article: { ...article, path } });
    if (cache && !issues.some((i) => i.severity === 'error')) {
      next.set(path, { size: stat.size, mtimeMs: stat.mtimeMs, sha: shaOf(bytes), id: article.id, lang: article.lang, services: article.services, contentHash: hash, issues });
    }
  }
  const cacheError = cache && (changed || next.size !== memory.size) ? writeFileMemory(cache, dir, knownServiceIds, next) : undefined;
  const unique = dropDuplicates(files, found);
  found.push(...missingTranslations(unique));
  unique.sort((a, b) => a.id.localeCompare(b.id) || a.lang.localeCompare(b.lang));
  return {
    files: unique,
    errors: found.filter((i) => i.severity === 'error'),
    warnings: found.filter((i) => i.severity === 'warning'),
    parsed,
    ...(cacheError ? { cacheError } : {}),
  };
}

/** Keeps the first article of each id+language; a second one is an error naming both files. */
function dropDuplicates(files: ScannedFile[], found: KnowledgeIssue[]): ScannedFile[] {
  const seen = new Map<string, ScannedFile>();
  for (const a of files) {
    const key = `${a.id}:${a.lang}`;
    const first = seen.get(key);
    if (!first) seen.set(key, a);
    else found.push(issue('error', displayPath(a.full), 'id', `duplicate article id "${a.id}" (${a.lang}) in ${displayPath(first.full)} and ${displayPath(a.full)}`));
  }
  const firsts = new Set(seen.values());
  // An id+language defined twice is not loaded at all: which one is right is the author's call.
  const duplicated = new Set(files.filter((a) => !firsts.has(a)).map((a) => `${a.id}:${a.lang}`));
  return [...seen.values()].filter((a) => !duplicated.has(`${a.id}:${a.lang}`));
}

function missingTranslations(files: ScannedFile[]): KnowledgeIssue[] {
  const byId = new Map<string, ScannedFile[]>();
  for (const a of files) byId.set(a.id, [...(byId.get(a.id) ?? []), a]);
  const out: KnowledgeIssue[] = [];
  for (const [id, versions] of byId) {
    const first = versions[0];
    if (!first) continue;
    for (const lang of LANGS.filter((l) => !versions.some((v) => v.lang === l))) {
      out.push(issue('warning', displayPath(first.full), 'id', `"${id}" has no ${lang} translation (${lang} users get the ${first.lang} article)`));
    }
    const services = new Set(versions.map((v) => [...v.services].sort().join(',')));
    if (services.size > 1) out.push(issue('warning', displayPath(first.full), 'services', `the translations of "${id}" name different services`));
  }
  return out;
}
