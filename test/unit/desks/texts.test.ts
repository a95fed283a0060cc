import { expect, it } from 'vitest';
import { desks } from '../../../src/texts/desks.ts';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

it('every desks text has both languages with the same placeholders', () => {
  for (const [key, entry] of Object.entries(desks)) {
    expect(entry.fr.length, key).toBeGreaterThan(0);
    expect(placeholders(entry.en), key).toEqual(placeholders(entry.fr));
  }
});
