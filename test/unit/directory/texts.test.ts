import { describe, expect, it } from 'vitest';
import { LANGS } from '../../../src/core/lang.ts';
import { directory } from '../../../src/texts/directory.ts';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

// Until the table is registered in src/texts/index.ts (and so checked by test/unit/texts).
describe('the directory texts', () => {
  it.each(Object.entries(directory))('%s exists in every language, with the same placeholders', (_key, text) => {
    for (const lang of LANGS) expect(text[lang].trim().length).toBeGreaterThan(0);
    expect(placeholders(text.en)).toEqual(placeholders(text.fr));
  });
});
