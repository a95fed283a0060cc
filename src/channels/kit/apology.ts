/**
 * What a channel says when a turn failed before any reply: the catalogue's apology in every
 * language, since the user's language is the core's to decide and the core did not answer.
 */
import { LANGS } from '../../core/lang.ts';
import { both } from '../../texts/index.ts';

export function apology(): string {
  const text = both('channels.apology');
  return LANGS.map((lang) => text[lang]).join(' / ');
}
