import { describe, expect, it } from 'vitest';
import { isDontKnow, parseAnswer, parseYesNo } from '../../../src/flows/answers.ts';
import type { SlotDef } from '../../../src/flows/schema.ts';
import { LAPTOP } from './flow-driver.ts';

describe('parseYesNo', () => {
  it.each([
    ['yes', 'yes'],
    ['Oui', 'yes'],
    ['oui !', 'yes'],
    ['ouais', 'yes'],
    ["oui c'est réglé", 'yes'],
    ['ça marche', 'yes'],
    ['yep, it works', 'yes'],
    ['no', 'no'],
    ['Non.', 'no'],
    ['toujours pas', 'no'],
    ['ça ne marche toujours pas', 'no'],
    ['nope', 'no'],
    ['still broken', 'no'],
    ['non, c’est autre chose', 'no'],
    ['oui mais ça ne marche pas', null],
    ['peut-être', null],
    ['', null],
  ])('%j → %s', (text, expected) => {
    expect(parseYesNo(text)).toBe(expected);
  });
});

describe('parseAnswer', () => {
  const ctx = { assets: [LAPTOP, { tag: 'PH-000812', kind: 'phone', name: 'iPhone 14' }] };
  const choice: SlotDef = {
    type: 'choice',
    options: { home: { fr: 'À la maison', en: 'At home', also: ['télétravail'] }, office: { fr: 'Au bureau', en: 'At the office' } },
  };
  const cases: [string, SlotDef, string, string | number | null][] = [
    ['choice by value', choice, 'office', 'office'],
    ['choice by label, no accents', choice, 'a la maison', 'home'],
    ['choice by English label', choice, 'At the office', 'office'],
    ['choice by an also-word in a sentence', choice, 'je suis en télétravail', 'home'],
    ['choice by position', choice, '2', 'office'],
    ['choice, nothing matches', choice, 'on the moon', null],
    ['text within bounds', { type: 'text', min: 3, max: 10, optional: false }, ' hello ', 'hello'],
    ['text too short', { type: 'text', min: 3, max: 10, optional: false }, 'hi', null],
    ['text too long', { type: 'text', min: 3, max: 10, optional: false }, 'hello world!', null],
    ['email in a sentence, lower-cased', { type: 'email', optional: false }, 'c’est Marie.Durand@Example.com merci', 'marie.durand@example.com'],
    ['email missing', { type: 'email', optional: false }, 'marie durand', null],
    ['number with a comma', { type: 'number', optional: false }, 'environ 2,5 heures', 2.5],
    ['number out of range', { type: 'number', min: 1, max: 50, optional: false }, '51', null],
    ['error code: plain number', { type: 'error-code', optional: false }, "j'ai l'erreur 809", '809'],
    ['error code: hex', { type: 'error-code', optional: false }, 'code 0x80070005 au démarrage', '0x80070005'],
    ['error code: vendor code', { type: 'error-code', optional: false }, 'AADSTS50076 when signing in', 'AADSTS50076'],
    ['error code: own pattern', { type: 'error-code', pattern: '^E\\d{3}-\\d{4}$', optional: false }, 'écran : e000-0001', 'e000-0001'],
    ['error code: none when optional', { type: 'error-code', optional: true }, 'aucun', 'none'],
    ['error code: none refused when required', { type: 'error-code', optional: false }, 'aucun', null],
    ['asset tag, upper-cased', { type: 'asset-tag', optional: false }, 'c’est le lt-004211', 'LT-004211'],
    ['asset by name among the slot kind', { type: 'asset-tag', kind: 'laptop', optional: false }, 'my latitude', 'LT-004211'],
    ['asset by name of another kind', { type: 'asset-tag', kind: 'laptop', optional: false }, 'iphone', null],
    ['asset tag, own pattern', { type: 'asset-tag', pattern: '^PRN-[A-Z]{3}-\\d-\\d{2}$', optional: false }, 'prn-par-3-02', 'PRN-PAR-3-02'],
  ];
  it.each(cases)('%s', (_, def, text, expected) => {
    expect(parseAnswer(def, text, ctx)).toBe(expected);
  });

  it('knows "I don\'t know" in both languages', () => {
    for (const t of ['je ne sais pas', 'Je sais pas.', 'aucune idée', "I don't know", 'no idea', 'none']) expect(isDontKnow(t), t).toBe(true);
    expect(isDontKnow('je sais')).toBe(false);
  });
});
