/**
 * The one text catalogue: every sentence Guichet says, in French and English, in the JSON tables of
 * this folder, behind one typed accessor. Keys are "area.name" ("tickets.created"); a key that does not
 * exist is a compile error, and so is an entry without one of the languages.
 *
 *   say(lang, 'tickets.created', { number: 1042 })   → the sentence in `lang`
 *   both('tickets.created', (lang) => ({ … }))       → the sentence in every language (`Localized`)
 *
 * Flows and articles carry their own texts in their files (dialogs/, knowledge/); these are what the
 * code says by itself. This folder imports nothing but `core/lang.ts`, so every layer may use it.
 */
import { LANGS, type Lang, type Localized } from '../core/lang.ts';
import { channels } from './channels.ts';
import { connectors } from './connectors.ts';
import { conversation } from './conversation.ts';
import { core } from './core.ts';
import { curation } from './curation.ts';
import { localizeEntry, type TextVars } from './define.ts';
import { desks } from './desks.ts';
import { security } from './security.ts';
import { directory } from './directory.ts';
import { flows } from './flows.ts';
import { handoff } from './handoff.ts';
import { incidents } from './incidents.ts';
import { knowledge } from './knowledge.ts';
import { privacy } from './privacy.ts';
import { tickets } from './tickets.ts';

export { fill, type TextVars } from './define.ts';

const CATALOGUE = { channels, connectors, conversation, core, curation, desks, directory, flows, handoff, incidents, knowledge, privacy, security, tickets };

type Catalogue = typeof CATALOGUE;
/** Every key of the catalogue, "area.name". */
export type TextKey = { [A in keyof Catalogue]: `${A}.${keyof Catalogue[A] & string}` }[keyof Catalogue];
/** The keys of one area, without the area ("created" for "tickets.created"). */
export type AreaKey<A extends keyof Catalogue> = keyof Catalogue[A] & string;

/** The entry behind `key`; throws on an unknown key (only reachable through a cast). */
export function entry(key: TextKey): Localized {
  const name: string = key;
  const dot = name.indexOf('.');
  const table = CATALOGUE[name.slice(0, dot) as keyof Catalogue] as Record<string, Localized> | undefined;
  const found = table?.[name.slice(dot + 1)];
  if (!found) throw new Error(`texts: unknown key "${key}"`);
  return found;
}

/** The text `key` in `lang`, with `{name}` placeholders filled from `vars`. */
export function say(lang: Lang, key: TextKey, vars: TextVars = {}): string {
  return localizeEntry(entry(key), lang, vars);
}

/** The text `key` in every language, with placeholders filled per language. */
export function both(key: TextKey, vars: (lang: Lang) => TextVars = () => ({})): Localized {
  const found = entry(key);
  return Object.fromEntries(LANGS.map((lang) => [lang, localizeEntry(found, lang, vars(lang))])) as Localized;
}

/** Every entry of the catalogue, for the completeness test. */
export function allEntries(): [TextKey, Localized][] {
  return Object.entries(CATALOGUE).flatMap(([area, table]) =>
    Object.entries(table as Record<string, Localized>).map(([name, text]) => [`${area}.${name}` as TextKey, text] as [TextKey, Localized]),
  );
}
