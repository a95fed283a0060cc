/** What the GLPI connector's parts share: the client, its store, the mapping and the desk. */
import type { Lang } from '../../core/lang.ts';
import type { Clock, Notifier } from '../../core/ports.ts';
import type { AgentDesk, Viewer } from '../../core/tickets.ts';
import type { GlpiClient } from './client.ts';
import type { GlpiMapping } from './mapping.ts';
import type { GlpiStore } from './ports.ts';

/** A ticket's timeline events of some kinds with their data, oldest first (TicketStore.events). */
export type TicketEvents = (number: number, kinds: readonly string[]) => Promise<{ kind: string; data: Record<string, unknown>; at: Date }[]>;

export interface RetryPolicy {
  /** Delay before the second attempt, milliseconds; doubled at each further attempt. */
  baseMs: number;
  /** Longest delay between two attempts, milliseconds. */
  maxMs: number;
  /** Attempts before an item is given up on (dead, shown to admins). */
  maxAttempts: number;
}

export interface GlpiContext {
  client: GlpiClient;
  store: GlpiStore;
  mapping: GlpiMapping;
  desk: AgentDesk;
  events: TicketEvents;
  notifier: Notifier;
  clock: Clock;
  /** Who GLPI's technicians are in the desk (an agent account, e.g. "GLPI"). */
  agent: Viewer;
  defaultLang: Lang;
  /** Admins told when GLPI refuses a call or an item is given up on. */
  admins: () => Promise<string[]>;
  retry: RetryPolicy;
  onError: (err: unknown, context: string) => void;
}

export const errorText = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** GLPI's rich text (HTML, entities encoded once more in GLPI 10) as plain text for chat. */
export function plainText(html: string): string {
  const decode = (s: string) =>
    s.replace(/&(lt|gt|quot|#0?39|apos|nbsp|amp);/g, (_, e: string) => ({ lt: '<', gt: '>', quot: '"', '#039': "'", '#39': "'", apos: "'", nbsp: ' ', amp: '&' })[e] ?? '');
  // GLPI 10 stores rich text HTML-encoded: decoded once when no tag shows, tags stripped, then entities.
  const tagged = /<[a-z/]/i.test(html) ? html : decode(html);
  return decode(tagged.replace(/<br\s*\/?>/gi, '\n').replace(/<\/(p|div)>/gi, '\n\n').replace(/<\/li>/gi, '\n').replace(/<[^>]*>/g, ''))
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** Plain text as the HTML GLPI stores (escaped, line breaks kept). */
export function htmlOf(text: string): string {
  const escaped = text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  return escaped
    .split(/\n{2,}/)
    .map((p) => `<p>${p.replace(/\n/g, '<br>')}</p>`)
    .join('');
}
