/**
 * "Add to FAQ": a draft article made from a resolved ticket's problem and
 * resolution, for an admin to review before publishing.
 */
import type { Lang } from '../core/lang.ts';
import { fold } from '../core/commands.ts';
import type { Article } from './article.ts';

export interface ResolvedTicket {
  number: number;
  title: string;
  description: string;
  resolution: string;
  serviceId: string | null;
  category: string;
}

/** Reads resolved (or closed) tickets by number; null when missing or not resolved. */
export interface ResolvedTicketSource {
  resolved(number: number): Promise<ResolvedTicket | null>;
}

const HEADINGS: Record<Lang, { problem: string; solution: string; source: string }> = {
  fr: { problem: 'Problème', solution: 'Solution', source: 'Rédigé à partir du ticket' },
  en: { problem: 'Problem', solution: 'Solution', source: 'Drafted from ticket' },
};

const STOP = new Set(['the', 'and', 'for', 'with', 'not', 'les', 'des', 'une', 'pour', 'avec', 'pas', 'dans', 'mon', 'sur']);

export function draftFromTicket(ticket: ResolvedTicket, options: { id: string; lang: Lang; service: string; today: string }): Article {
  const h = HEADINGS[options.lang];
  const firstSentence = ticket.description.split(/(?<=[.!?])\s|\n/)[0]?.trim() ?? '';
  const symptoms = [...new Set([ticket.title.trim(), firstSentence].filter((s) => s.length > 0))].map((s) => s.slice(0, 200));
  if (symptoms.length < 2) symptoms.push(`${ticket.category}: ${ticket.title}`.slice(0, 200));
  const words = fold(`${ticket.category} ${ticket.title}`).split(/[^a-z0-9]+/).filter((w) => w.length > 2 && !STOP.has(w));
  const tags = [...new Set([options.service, ...words])].slice(0, 8);
  while (tags.length < 3) tags.push(`ticket-${ticket.number}-${tags.length}`);
  return {
    id: options.id,
    type: 'faq',
    lang: options.lang,
    title: ticket.title.trim().slice(0, 100),
    tags,
    services: [options.service],
    symptoms,
    status: 'draft',
    updated: options.today,
    body: [`## ${h.problem}`, '', ticket.description.trim(), '', `## ${h.solution}`, '', ticket.resolution.trim(), '', `_${h.source} #${ticket.number}._`].join('\n'),
  };
}
