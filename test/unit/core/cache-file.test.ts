/**
 * Start-up cache files (src/core/cache-file.ts): a value read back under its key; another key, a
 * missing or a damaged file reads as a miss, never as an error.
 */
import { mkdtempSync, openSync, closeSync, ftruncateSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readCache, writeCache } from '../../../src/core/cache-file.ts';

const dir = mkdtempSync(join(tmpdir(), 'guichet-cache-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('cache file', () => {
  it('reads a value back under its key, and tells missing, stale and corrupt files apart', () => {
    const file = join(dir, 'value.bin');
    expect(readCache(file, 'k1')).toEqual({ miss: 'missing' });
    expect(writeCache(file, 'k1', new Map([['a', new Uint32Array([1, 2])]]))).toBeUndefined();
    expect(readCache(file, 'k1').value).toEqual(new Map([['a', new Uint32Array([1, 2])]]));
    expect(readCache(file, 'k2')).toEqual({ miss: 'stale' });
    expect(readCache(file, 'k1', () => false)).toEqual({ miss: 'corrupt' });
    const whole = readFileSync(file);
    writeFileSync(file, whole.subarray(0, whole.length - 3));
    expect(readCache(file, 'k1')).toEqual({ miss: 'corrupt' });
    writeFileSync(file, whole.subarray(0, 6));
    expect(readCache(file, 'k1')).toEqual({ miss: 'corrupt' });
    writeFileSync(file, 'x');
    expect(readCache(file, 'k1')).toEqual({ miss: 'corrupt' });
  });

  it('reads back a value whose last array is empty after one that ends off an 8-byte boundary', () => {
    const file = join(dir, 'empty-last.bin');
    const value = { odd: new Uint8Array([1, 2, 3]), none: new Uint32Array(0) };
    expect(writeCache(file, 'k', value)).toBeUndefined();
    expect(readCache<typeof value>(file, 'k').value).toEqual(value);
  });

  it('reads each typed array into an array of its own, not a view into the whole file', () => {
    const file = join(dir, 'arrays.bin');
    const value = { ids: new Uint32Array([7, 8, 9]), odd: new Uint8Array([1, 2, 3]), text: Buffer.from('héllo'), lengths: new Float64Array([0.5]), name: 'x' };
    expect(writeCache(file, 'k', value)).toBeUndefined();
    const read = readCache<typeof value>(file, 'k').value!;
    expect(read).toEqual(value);
    expect(Buffer.isBuffer(read.text)).toBe(true);
    for (const array of [read.ids, read.odd, read.text, read.lengths]) expect(array.buffer.byteLength).toBe(array.byteLength);
  });

  it('tells a stale file from its header alone, without reading its value', () => {
    const file = join(dir, 'big.bin');
    writeCache(file, 'old key', 'a value');
    // Sparse: 3 GB that take no disk, more than a file read whole (readFileSync stops at 2 GB) can hold.
    const fd = openSync(file, 'r+');
    ftruncateSync(fd, 3 * 1024 ** 3);
    closeSync(fd);
    expect(readCache(file, 'new key')).toEqual({ miss: 'stale' });
  });
});
