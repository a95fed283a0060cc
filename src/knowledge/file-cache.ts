/**
 * What a sync remembers of each knowledge file between starts, so that a
 * start with 10,000 unchanged files parses none of them (parsing is about
 * 1 ms a file, most of it YAML): the file's size, modification time and
 * SHA-256, and what its parse gave (id, language, services, content hash,
 * warnings). A file whose size and time are unchanged is taken as
 * unchanged; one whose time changed but whose bytes hash the same (a
 * checkout, `touch`) is too; any other file is parsed again. Files with
 * errors are never remembered.
 *
 * The cache only saves parsing: the sync still compares every file's content
 * hash with the database (sync.ts), so a cache from another database or an
 * article curated since is handled as without it. Keyed on the parser's code,
 * the service ids (they decide warnings and errors) and the folder.
 */
import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { cacheKey, codeVersion, readCache, writeCache } from '../core/cache-file.ts';
import type { Lang } from '../core/lang.ts';
import type { KnowledgeIssue } from './issues.ts';

/** Bump when the saved shape changes. */
const FORMAT_VERSION = 1;

export interface RememberedFile {
  size: number;
  mtimeMs: number;
  /** SHA-256 (hex) of the file's bytes. */
  sha: string;
  id: string;
  lang: Lang;
  services: string[];
  /** contentHash of the article the file holds (article-change.ts). */
  contentHash: string;
  /** The warnings its parse gave. */
  issues: KnowledgeIssue[];
}

/** Remembered files by path relative to the knowledge folder. */
export type FileMemory = Map<string, RememberedFile>;

export interface FileCacheOptions {
  /** The cache file (e.g. `<cache dir>/knowledge-files.bin`). */
  file: string;
}

const keyOf = (dir: string, serviceIds: readonly string[]): string =>
  cacheKey(FORMAT_VERSION, codeVersion(new URL('./', import.meta.url)), resolve(dir), [...serviceIds].sort());

export function readFileMemory(cache: FileCacheOptions, dir: string, serviceIds: readonly string[]): FileMemory {
  return readCache<FileMemory>(cache.file, keyOf(dir, serviceIds), (v) => v instanceof Map).value ?? new Map();
}

/** Saves the memory; a failure only costs the next start its parsing. */
export function writeFileMemory(cache: FileCacheOptions, dir: string, serviceIds: readonly string[], memory: FileMemory): Error | undefined {
  return writeCache(cache.file, keyOf(dir, serviceIds), memory);
}

export function shaOf(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}
