/**
 * Which open tickets belong to a major incident: incident reports (not requests) on an affected
 * service; those sharing enough words with the incident (its title, its services' names and
 * keywords) are linked at once, the others only suggested to the agent, who confirms them.
 */
import type { ServiceDefinition } from '../catalog/services.ts';
import { fold } from '../core/commands.ts';
import type { Localized } from '../core/lang.ts';

const STOP = new Set(['les', 'des', 'une', 'est', 'pas', 'sur', 'pour', 'avec', 'dans', 'the', 'and', 'for', 'not', 'with', 'from', 'this', 'that', 'has', 'have', 'mon', 'mes', 'can', 'cannot', 'plus', 'depuis']);

function words(text: string): Set<string> {
  return new Set(fold(text).split(/[^a-z0-9]+/).filter((w) => w.length >= 3 && !STOP.has(w)));
}

/** The words that speak of the incident: its title and its services' names and keywords, both languages. */
export function incidentWords(title: Localized, services: readonly ServiceDefinition[]): Set<string> {
  const parts = [title.fr, title.en, ...services.flatMap((s) => [s.id, s.name.fr, s.name.en, ...s.keywords.fr, ...s.keywords.en])];
  return words(parts.join(' '));
}

/** Share (0..1) of the ticket's words that speak of the incident. */
export function similarity(ticketText: string, incident: Set<string>): number {
  const mine = words(ticketText);
  if (mine.size === 0) return 0;
  let shared = 0;
  for (const w of mine) if (incident.has(w)) shared += 1;
  return shared / mine.size;
}
