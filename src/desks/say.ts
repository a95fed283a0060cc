/** How the desks word times and waits, in the user's language and the desk's time zone. */
import { DateTime } from 'luxon';
import type { Lang } from '../core/lang.ts';
import { localizeEntry, type TextVars } from '../texts/define.ts';
import { desks } from '../texts/desks.ts';

export type DesksText = keyof typeof desks;

export const sayDesks = (lang: Lang, key: DesksText, vars?: TextVars): string => localizeEntry(desks[key], lang, vars);

/** "environ 12 min", "about 1 h 05". */
export function waitText(minutes: number, lang: Lang): string {
  const m = Math.max(1, Math.round(minutes));
  if (m < 60) return sayDesks(lang, 'minutes', { minutes: m });
  return sayDesks(lang, 'hoursMinutes', { hours: Math.floor(m / 60), minutes: String(m % 60).padStart(2, '0') });
}

/** "lundi 7 décembre à 08:30", "Monday 7 December at 08:30", in `timeZone`. */
export function whenText(at: Date, lang: Lang, timeZone: string): string {
  const local = DateTime.fromJSDate(at, { zone: timeZone }).setLocale(lang === 'fr' ? 'fr-FR' : 'en-GB');
  return sayDesks(lang, 'at', { day: local.toFormat('cccc d LLLL'), time: local.toFormat('HH:mm') });
}
