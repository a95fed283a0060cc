/**
 * Synonyms and abbreviations ("mdp" → "mot de passe", "wifi" ↔ "wi-fi" ↔
 * "wlan"), read from `knowledge/synonyms.yml` and applied to queries only.
 *
 * Rules use the Solr syntax that search admins already know:
 * - `"a, b, c"`: equivalent, each expands to all the others;
 * - `"a, b => c, d"`: one way, a or b expands to c and d (not the reverse).
 * A side may be a phrase ("mot de passe"). Matching is done on analysed words
 * (stems, accents folded), so "imprimantes", "imprimante" and "imprimante"
 * typed without its accent all match the rule of "imprimante", and stop words
 * inside a phrase still have to be there ("mot de passe" ≠ "mot passe": list
 * the variant). Why queries only: expanding documents would change their
 * length and term counts, and a synonym file change would need a re-index.
 */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { GuichetError } from '../core/errors.ts';
import { detectLanguage } from './language.ts';
import type { Analyzer, Token } from './text.ts';

export interface SynonymRule {
  /** The phrases that trigger the rule. */
  from: string[];
  /** The phrases they expand to (for an equivalence, the same list as `from`). */
  to: string[];
}

/** What a rule adds to a query: the words `start..end` (token positions) may also mean `terms`. */
export interface Expansion {
  start: number;
  end: number;
  /** Index terms of one alternative phrase ("mot de passe" → ["mot", "pass"]). */
  terms: string[];
}

export interface SynonymMatcher {
  /** The alternatives of the phrases found in `tokens` (longest match first, left to right). */
  expand(tokens: readonly Token[]): Expansion[];
}

const fileSchema = z.object({ synonyms: z.array(z.string().min(1)) }).strict();

/** Parses rule lines ("a, b => c"); throws a GuichetError naming the source and the line. */
export function parseSynonymRules(lines: readonly string[], source = 'synonyms'): SynonymRule[] {
  return lines.map((line, i) => {
    const sides = line.split('=>');
    const split = (side: string): string[] =>
      side
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
    if (sides.length > 2 || sides.some((s) => split(s).length === 0)) {
      throw new GuichetError('synonyms.invalid', `synonyms: ${source}: rule ${i + 1} "${line}": expected "a, b, c" or "a, b => c"`);
    }
    const from = split(sides[0] ?? '');
    if (sides.length === 1 && from.length < 2) {
      throw new GuichetError('synonyms.invalid', `synonyms: ${source}: rule ${i + 1} "${line}": an equivalence needs at least two phrases`);
    }
    return { from, to: sides.length === 2 ? split(sides[1] ?? '') : from };
  });
}

/** Reads a synonyms YAML file (`synonyms: [ "a, b", "c => d" ]`). */
export function loadSynonymFile(path: string): SynonymRule[] {
  let data: unknown;
  try {
    data = parseYaml(readFileSync(path, 'utf8'));
  } catch (cause) {
    throw new GuichetError('synonyms.invalid', `synonyms: ${path}: cannot read: ${(cause as Error).message}`, { cause });
  }
  const parsed = fileSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new GuichetError('synonyms.invalid', `synonyms: ${path}: field "${issue?.path.join('.')}": ${issue?.message}`);
  }
  return parseSynonymRules(parsed.data.synonyms, path);
}

/** The matching key of a token: its stem, or its folded form for a stop word. */
const keyOf = (t: Token): string => t.term || t.folded;

/**
 * Compiles rules for one analyzer (their phrases are analysed like the queries
 * will be). Any phrase of a rule is recognised in a query, but a query only
 * expands to phrases of the analyzer's language or of no clear language
 * ("wlan", "vpn"): in the English index "mdp" becomes "password", in the
 * French one "mot de passe"; "mot de passe" analysed as English would only
 * add noise ("mot", "de").
 */
export function compileSynonyms(rules: readonly SynonymRule[], analyzer: Analyzer): SynonymMatcher {
  const table = new Map<string, string[][]>();
  let longest = 1;
  const phrase = (text: string) => {
    const tokens = analyzer.tokens(text).filter((t) => !t.part);
    const guess = detectLanguage(text, analyzer.lang);
    return {
      key: tokens.map(keyOf).join(' '),
      length: tokens.length,
      terms: tokens.filter((t) => !t.stop).map((t) => t.term),
      foreign: guess.confidence > 0 && guess.lang !== analyzer.lang,
    };
  };
  for (const rule of rules) {
    const targets = rule.to.map(phrase).filter((p) => p.terms.length > 0 && !p.foreign);
    for (const source of rule.from.map(phrase)) {
      if (!source.key) continue;
      longest = Math.max(longest, source.length);
      const list = table.get(source.key) ?? [];
      for (const target of targets) {
        const same = target.key === source.key;
        if (!same && !list.some((l) => l.join(' ') === target.terms.join(' '))) list.push(target.terms);
      }
      table.set(source.key, list);
    }
  }
  // Every proper prefix of a source phrase, so that matching stops as soon as no phrase can continue.
  const prefixes = new Set<string>();
  for (const key of table.keys()) {
    const words = key.split(' ');
    for (let n = 1; n < words.length; n += 1) prefixes.add(words.slice(0, n).join(' '));
  }
  return {
    expand(all) {
      const tokens = all.filter((t) => !t.part);
      const keys = tokens.map(keyOf);
      const out: Expansion[] = [];
      for (let i = 0; i < tokens.length; ) {
        // Longest match starting at i: extend the key word by word while some phrase still starts with it.
        let matched = 0;
        let found: string[][] | undefined;
        let key = '';
        for (let n = 1; n <= longest && i + n <= tokens.length; n += 1) {
          key = n === 1 ? (keys[i] ?? '') : `${key} ${keys[i + n - 1] ?? ''}`;
          const alternatives = table.get(key);
          if (alternatives && !(n === 1 && tokens[i]?.stop)) {
            matched = n;
            found = alternatives;
          }
          if (!prefixes.has(key)) break;
        }
        if (found) {
          const start = tokens[i]?.pos ?? 0;
          const end = tokens[i + matched - 1]?.pos ?? start;
          for (const terms of found) out.push({ start, end, terms });
        }
        i += matched || 1;
      }
      return out;
    },
  };
}
