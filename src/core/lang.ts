/** The languages Guichet speaks. Every user-facing text exists in each. */
export type Lang = 'fr' | 'en';
export const LANGS: readonly Lang[] = ['fr', 'en'];

/** A text in every supported language. */
export type Localized = Record<Lang, string>;

/** Parses a language code ("FR", "fr-CA", "en_US") into a supported Lang, if any. */
export function toLang(code: string | null | undefined): Lang | undefined {
  const base = code?.trim().toLowerCase().slice(0, 2);
  return base === 'fr' || base === 'en' ? base : undefined;
}

/**
 * The text `key` of a table of localized texts, in `lang`, with `{name}` placeholders filled from
 * `vars`; a placeholder with no value is left as written (a visible mistake, never a silent blank).
 */
export function localize<K extends string>(table: Record<K, Localized>, lang: Lang, key: K, vars: Record<string, string | number> = {}): string {
  return table[key][lang].replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}
