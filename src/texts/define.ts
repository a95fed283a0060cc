/**
 * How the catalogue is built: each area of Guichet keeps its sentences in one JSON file of this
 * folder (`core.json`, `tickets.json`, …: data that translators edit without touching code), read
 * by a typed wrapper (`core.ts`) that checks every entry has every language (`satisfies TextTable`,
 * so a missing French or English text is a compile error; test/unit/texts checks that both carry the
 * same placeholders).
 * `index.ts` joins the tables under one key space ("tickets.created") behind one accessor, `say`.
 */
import type { Lang, Localized } from '../core/lang.ts';

/** Values for a text's `{name}` placeholders. */
export type TextVars = Record<string, string | number>;

/** A table of one area's texts; `satisfies` keeps its keys literal. */
export type TextTable = Record<string, Localized>;

/**
 * `template` with `{name}` placeholders filled from `vars`; a placeholder with no value is left as
 * written (a visible mistake, never a silent blank). The only placeholder filler in Guichet.
 */
export function fill(template: string, vars: TextVars = {}): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}

/** The text of `entry` in `lang`, filled. */
export function localizeEntry(entry: Localized, lang: Lang, vars: TextVars = {}): string {
  return fill(entry[lang], vars);
}
