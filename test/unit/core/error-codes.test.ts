import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ALL_ERROR_CODES, ERROR_CODES } from '../../../src/core/error-codes.ts';

const SRC = fileURLToPath(new URL('../../../src/', import.meta.url));

/** The hand-written TypeScript files of src/ (not the generated Prisma clients), with their text. */
function sources(): Array<{ file: string; text: string }> {
  return readdirSync(SRC, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts') && !f.startsWith(join('persistence', 'generated')))
    .map((file) => ({ file, text: readFileSync(join(SRC, file), 'utf8') }));
}

/** `file: code` for every match of `pattern` (its first group is the code). */
function codesIn(pattern: RegExp): string[] {
  return sources().flatMap(({ file, text }) => [...text.matchAll(pattern)].map((m) => `${file}: ${m[1]}`));
}

const notRegistered = (found: string[]): string[] => found.filter((line) => !ALL_ERROR_CODES.has(line.slice(line.lastIndexOf(' ') + 1)));

describe('error codes (src/core/error-codes.ts)', () => {
  it('registers every code src/ throws', () => {
    const thrown = codesIn(/new GuichetError\(\s*'([^']+)'/g);
    expect(thrown.length).toBeGreaterThan(50);
    expect(notRegistered(thrown)).toEqual([]);
  });

  // Dotted codes only: `.code === 'ENOENT'` or a zod issue's code are not Guichet's.
  it('registers every code src/ matches on, and every module it matches by prefix', () => {
    const matched = codesIn(/\.code\s*[!=]==\s*'([a-z]+\.[a-z-]+)'/g);
    expect(matched.length).toBeGreaterThan(0);
    expect(notRegistered(matched)).toEqual([]);
    const prefixes = codesIn(/\.code\.startsWith\('([a-z]+)\.'\)/g);
    expect(prefixes.filter((line) => !(line.slice(line.lastIndexOf(' ') + 1) in ERROR_CODES))).toEqual([]);
  });

  it('lists each code once, under its own module', () => {
    const all = Object.values(ERROR_CODES).flat();
    expect(all.length).toBe(new Set(all).size);
    for (const [module, codes] of Object.entries(ERROR_CODES)) {
      for (const code of codes) expect(code.startsWith(`${module}.`), `${code} under ${module}`).toBe(true);
    }
  });
});
