import { describe, expect, it } from 'vitest';
import { LANGS } from '../../../src/core/lang.ts';
import { allEntries, both, fill } from '../../../src/texts/index.ts';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('the text catalogue', () => {
  const entries = allEntries();

  it.each(entries)('%s exists in every language, with the same placeholders', (_key, text) => {
    for (const lang of LANGS) expect(text[lang]?.trim().length ?? 0, `${lang} text`).toBeGreaterThan(0);
    expect(placeholders(text.en)).toEqual(placeholders(text.fr));
  });

  it('fills placeholders and leaves unknown ones visible', () => {
    expect(fill('Ticket #{number} for {name}', { number: 1042 })).toBe('Ticket #1042 for {name}');
  });

  it('gives every language of an entry', () => {
    expect(entries.length).toBeGreaterThan(400);
    const [key] = entries[0]!;
    const all = both(key, () => ({}));
    expect(Object.keys(all).sort()).toEqual([...LANGS].sort());
  });
});
