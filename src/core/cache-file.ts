/**
 * Start-up caches (the search index, the intent classifier, the knowledge
 * folder's file list): a value computed from inputs, saved under a key that
 * hashes those inputs, and reused while the key is the same. A cache is never
 * the source of truth: a missing, unreadable, corrupt or differently keyed
 * file reads as absent (the caller recomputes and saves again), and a failed
 * save only costs the next start its time.
 *
 * Format: v8.serialize (structured clone: Maps, typed arrays and plain
 * objects, no code), ten times faster to read than JSON for the Maps of the
 * index. The header holds the key; Node's version is part of every key
 * (the serialization format is V8's).
 */
import { createHash } from 'node:crypto';
import { closeSync, fstatSync, mkdirSync, openSync, readFileSync, readSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deserialize, serialize } from 'node:v8';

export interface CacheRead<T> {
  /** The saved value when the file exists and its key matches. */
  value?: T;
  /** Why there is none: 'missing' (first start), 'stale' (other inputs), 'corrupt' (unreadable). */
  miss?: 'missing' | 'stale' | 'corrupt';
}

/** The header before the value: read first, so that a stale file is told without deserializing its value. */
interface Header {
  format: 'guichet-cache';
  key: string;
}

/** SHA-256 (hex) of the parts, each JSON-encoded and separated, plus Node's version. */
export function cacheKey(...parts: unknown[]): string {
  const hash = createHash('sha256').update(process.version);
  for (const part of parts) hash.update('\0').update(typeof part === 'string' ? part : JSON.stringify(part) ?? 'undefined');
  return hash.digest('hex');
}

/**
 * Reads `file` when its key is `key`; never throws. `check` validates the value's shape (false: corrupt).
 * The header is read first: a stale file costs a few hundred bytes of reading, not the whole value.
 */
export function readCache<T>(file: string, key: string, check: (value: unknown) => boolean = () => true): CacheRead<T> {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return { miss: 'missing' };
  }
  try {
    const size = fstatSync(fd).size;
    const headerLength = readExactly(fd, 4, 0)?.readUInt32LE(0);
    if (headerLength === undefined || 4 + headerLength > size) return { miss: 'corrupt' };
    const header = JSON.parse(readExactly(fd, headerLength, 4)?.toString('utf8') ?? 'null') as Partial<Header> | null;
    if (!header || header.format !== 'guichet-cache' || typeof header.key !== 'string') return { miss: 'corrupt' };
    if (header.key !== key) return { miss: 'stale' };
    const body = readExactly(fd, size - 4 - headerLength, 4 + headerLength);
    if (!body) return { miss: 'corrupt' };
    const value: unknown = deserialize(body);
    return check(value) ? { value: value as T } : { miss: 'corrupt' };
  } catch {
    return { miss: 'corrupt' };
  } finally {
    closeSync(fd);
  }
}

/** `length` bytes of `fd` from `position`, or undefined when the file is shorter. */
function readExactly(fd: number, length: number, position: number): Buffer | undefined {
  const bytes = Buffer.allocUnsafeSlow(length);
  let read = 0;
  while (read < length) {
    const n = readSync(fd, bytes, read, length - read, position + read);
    if (n === 0) return undefined;
    read += n;
  }
  return bytes;
}

/** Saves `value` under `key` (a temporary file renamed over the old one: readers see a whole file or the old one). Returns the error, if any. */
export function writeCache(file: string, key: string, value: unknown): Error | undefined {
  const staging = `${file}.${process.pid}.tmp`;
  try {
    mkdirSync(dirname(file), { recursive: true });
    const header = Buffer.from(JSON.stringify({ format: 'guichet-cache', key } satisfies Header), 'utf8');
    const length = Buffer.alloc(4);
    length.writeUInt32LE(header.length, 0);
    writeFileSync(staging, Buffer.concat([length, header, serialize(value)]));
    renameSync(staging, file);
    return undefined;
  } catch (err) {
    rmSync(staging, { force: true });
    return err instanceof Error ? err : new Error(String(err));
  }
}

/**
 * Hash of the code files (.ts, .js, .cjs, .mjs, .json; not recursive) of these folders (paths or
 * file: URLs): a cache of what that code computes is keyed on it, so a new release, an edited
 * analyser or an upgraded library recomputes it. A few dozen small files, about a millisecond.
 */
export function codeVersion(...folders: (string | URL)[]): string {
  const hash = createHash('sha256');
  const dirs = [...new Set(folders.map((f) => (typeof f === 'string' && !f.startsWith('file:') ? f : fileURLToPath(f))))].sort();
  for (const dir of dirs) {
    for (const name of readdirSync(dir).filter((n) => /\.(ts|js|cjs|mjs|json)$/.test(n) && !n.endsWith('.d.ts')).sort()) {
      hash.update(`${name}\0`).update(readFileSync(join(dir, name))).update('\0');
    }
  }
  return hash.digest('hex');
}
