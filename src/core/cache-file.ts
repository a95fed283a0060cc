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
 * (the serialization format is V8's). Typed arrays (and Buffers) are not
 * inside the serialized value but after it, each read straight into an array
 * of its own: a loaded typed array is neither a copy nor a view into the
 * whole file. (Read whole, the index of 10,000 articles was a 54 MB buffer
 * that no garbage collection reclaimed while the server sat idle after its
 * start: 54 MB of resident memory for nothing.)
 *
 *   u32 LE header length · header (JSON: format, key, value length, each array's type and length)
 *   · serialized value · each array's bytes, from an offset that is a multiple of 8
 */
import { createHash } from 'node:crypto';
import { accessSync, closeSync, constants, fstatSync, mkdirSync, openSync, readFileSync, readSync, readdirSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DefaultDeserializer, DefaultSerializer } from 'node:v8';

export interface CacheRead<T> {
  /** The saved value when the file exists and its key matches. */
  value?: T;
  /** Why there is none: 'missing' (first start), 'stale' (other inputs), 'corrupt' (unreadable). */
  miss?: 'missing' | 'stale' | 'corrupt';
}

/** The header before the value: read first, so that a stale file is told without reading its value. */
interface Header {
  format: 'guichet-cache-2';
  key: string;
  /** Bytes of the serialized value. */
  valueLength: number;
  /** The typed arrays after it, in order: their type (an index into ARRAY_TYPES) and byte length. */
  arrays: Array<[number, number]>;
}

/** The typed arrays kept out of the serialized value, by type number; BUFFER: a Buffer (restored as a Buffer, not a Uint8Array). */
const ARRAY_TYPES = [Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array, Uint32Array, Float32Array, Float64Array, BigInt64Array, BigUint64Array] as const;
const BUFFER = ARRAY_TYPES.length;
type SavedArray = InstanceType<(typeof ARRAY_TYPES)[number]> | Buffer;
const typeOf = (view: ArrayBufferView): number => (Buffer.isBuffer(view) ? BUFFER : ARRAY_TYPES.findIndex((t) => view.constructor === t));

/** Writes a typed array as its number in the list of arrays that follow the value. */
class ArraySerializer extends DefaultSerializer {
  readonly arrays: SavedArray[] = [];
  _writeHostObject(view: ArrayBufferView): void {
    const type = typeOf(view);
    if (type < 0) throw new Error(`cache: cannot save a ${view.constructor.name}`);
    this.writeUint32(type);
    this.writeUint32(this.arrays.length);
    this.arrays.push(view as SavedArray);
  }
}

/** Reads a typed array's number back as the array read after the value. */
class ArrayDeserializer extends DefaultDeserializer {
  constructor(
    buffer: Buffer,
    private readonly arrays: readonly SavedArray[],
  ) {
    super(buffer);
  }
  _readHostObject(): SavedArray {
    const type = this.readUint32();
    const array = this.arrays[this.readUint32()];
    if (!array || typeOf(array) !== type) throw new Error('cache: an array does not match its header');
    return array;
  }
}

/** SHA-256 (hex) of the parts, each JSON-encoded and separated, plus Node's version. */
export function cacheKey(...parts: unknown[]): string {
  const hash = createHash('sha256').update(process.version);
  for (const part of parts) hash.update('\0').update(typeof part === 'string' ? part : JSON.stringify(part) ?? 'undefined');
  return hash.digest('hex');
}

const aligned = (n: number): number => Math.ceil(n / 8) * 8;

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
    const headerLength = readInto(fd, Buffer.allocUnsafe(4), 0)?.readUInt32LE(0);
    if (headerLength === undefined || 4 + headerLength > size) return { miss: 'corrupt' };
    const header = JSON.parse(readInto(fd, Buffer.allocUnsafe(headerLength), 4)?.toString('utf8') ?? 'null') as Partial<Header> | null;
    if (!header || header.format !== 'guichet-cache-2' || typeof header.key !== 'string') return { miss: 'corrupt' };
    if (header.key !== key) return { miss: 'stale' };
    const { valueLength, arrays: layout } = header;
    if (typeof valueLength !== 'number' || !Array.isArray(layout) || 4 + headerLength + valueLength > size) return { miss: 'corrupt' };
    const value = readInto(fd, Buffer.allocUnsafeSlow(valueLength), 4 + headerLength);
    if (!value) return { miss: 'corrupt' };
    let at = aligned(4 + headerLength + valueLength);
    const arrays: SavedArray[] = [];
    for (const [type, byteLength] of layout) {
      const Type = ARRAY_TYPES[type];
      // An empty last array may start past the end (no padding is written after the last one).
      if ((!Type && type !== BUFFER) || (byteLength > 0 && at + byteLength > size)) return { miss: 'corrupt' };
      const array = Type ? new Type(byteLength / Type.BYTES_PER_ELEMENT) : Buffer.allocUnsafeSlow(byteLength);
      if (!readInto(fd, array, at)) return { miss: 'corrupt' };
      arrays.push(array);
      at = aligned(at + byteLength);
    }
    const deserializer = new ArrayDeserializer(value, arrays);
    deserializer.readHeader();
    const read: unknown = deserializer.readValue();
    return check(read) ? { value: read as T } : { miss: 'corrupt' };
  } catch {
    return { miss: 'corrupt' };
  } finally {
    closeSync(fd);
  }
}

/** Fills `into` with the bytes of `fd` from `position`; undefined when the file is shorter. */
function readInto<V extends ArrayBufferView>(fd: number, into: V, position: number): V | undefined {
  const bytes = new Uint8Array(into.buffer, into.byteOffset, into.byteLength);
  let read = 0;
  while (read < bytes.length) {
    const n = readSync(fd, bytes, read, bytes.length - read, position + read);
    if (n === 0) return undefined;
    read += n;
  }
  return into;
}

/**
 * True when `file` can be written: its folder exists or can be made, and is writable. Lets a caller
 * that would build something only to save it (a worker thread) build it where it is used instead.
 */
export function canWriteCache(file: string): boolean {
  try {
    mkdirSync(dirname(file), { recursive: true });
    accessSync(dirname(file), constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** Saves `value` under `key` (a temporary file renamed over the old one: readers see a whole file or the old one). Returns the error, if any. */
export function writeCache(file: string, key: string, value: unknown): Error | undefined {
  const staging = `${file}.${process.pid}.tmp`;
  let fd: number | undefined;
  try {
    mkdirSync(dirname(file), { recursive: true });
    const serializer = new ArraySerializer();
    serializer.writeHeader();
    serializer.writeValue(value);
    const serialized = serializer.releaseBuffer();
    const arrays = serializer.arrays.map((a): [number, number] => [typeOf(a), a.byteLength]);
    const header = Buffer.from(JSON.stringify({ format: 'guichet-cache-2', key, valueLength: serialized.length, arrays } satisfies Header), 'utf8');
    const length = Buffer.alloc(4);
    length.writeUInt32LE(header.length, 0);
    fd = openSync(staging, 'w');
    let at = 0;
    const write = (bytes: ArrayBufferView, position: number): void => {
      const view = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      for (let done = 0; done < view.length; ) done += writeSync(fd!, view, done, view.length - done, position + done);
      at = position + view.length;
    };
    write(length, 0);
    write(header, at);
    write(serialized, at);
    for (const a of serializer.arrays) write(a, aligned(at));
    closeSync(fd);
    fd = undefined;
    renameSync(staging, file);
    return undefined;
  } catch (err) {
    if (fd !== undefined) closeSync(fd);
    // `force` ignores a missing file only: a folder that cannot exist (ENOTDIR) must not turn the reported error into a throw.
    try {
      rmSync(staging, { force: true });
    } catch {
      // nothing was staged
    }
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
