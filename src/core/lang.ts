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
