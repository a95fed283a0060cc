/**
 * GLPI's knowledge base (KnowbaseItem) as rows of Guichet's knowledge import (the columns of
 * knowledge/README.md): the answer's HTML becomes sanitised Markdown (headings, paragraphs, lists,
 * bold, http(s) links; scripts, styles, images and every other tag dropped), imported as drafts to
 * review. The knowledge import then checks each row with the file format's rules.
 */
import { z } from 'zod';
import type { Lang } from '../../core/lang.ts';
import type { GlpiClient } from './client.ts';
import { plainText } from './context.ts';

const num = z.coerce.number().int();
const knowbaseRow = z.object({ id: num, name: z.string().nullable(), answer: z.string().nullable(), is_faq: num.optional(), date_mod: z.string().nullable().optional() }).passthrough();

export interface KnowbaseOptions {
  lang: Lang;
  /** Service id (config/services.yml) the imported articles are filed under. */
  service: string;
  /** Only the items published in GLPI's public FAQ (is_faq = 1). */
  faqOnly?: boolean;
}

/** Every KnowbaseItem GLPI lets the account read, as import rows (`line` is the GLPI id). */
export async function knowbaseRows(client: GlpiClient, options: KnowbaseOptions): Promise<{ line: number; fields: Record<string, unknown> }[]> {
  const rows: z.infer<typeof knowbaseRow>[] = [];
  for (let start = 0; ; start += 100) {
    const page = await client.getItems('KnowbaseItem', knowbaseRow, { range: `${start}-${start + 99}`, sort: 2, order: 'ASC' });
    rows.push(...page);
    if (page.length < 100) break;
  }
  return rows.filter((r) => !options.faqOnly || r.is_faq === 1).map((r) => ({ line: r.id, fields: fieldsOf(r, options) }));
}

function fieldsOf(row: z.infer<typeof knowbaseRow>, options: KnowbaseOptions): Record<string, unknown> {
  const title = plainText(row.name ?? '').slice(0, 100) || `GLPI ${row.id}`;
  const body = htmlToMarkdown(row.answer ?? '');
  const firstLine = plainText(row.answer ?? '').split('\n').find((l) => l.trim())?.slice(0, 120) ?? '';
  return {
    type: 'faq',
    lang: options.lang,
    title,
    tags: ['glpi', 'imported', `glpi-${row.id}`],
    services: [options.service],
    symptoms: [title, firstLine && firstLine !== title ? firstLine : `${title} (GLPI)`],
    status: 'draft',
    ...(row.date_mod ? { updated: row.date_mod.slice(0, 10) } : {}),
    body: body || title,
  };
}

/** GLPI's rich text (entities possibly encoded twice) as the restricted Markdown of knowledge files. */
export function htmlToMarkdown(stored: string): string {
  let html = stored;
  // GLPI 10 stores rich text HTML-encoded: decode until tags appear (at most twice).
  for (let i = 0; i < 2 && !/<[a-z/]/i.test(html) && /&lt;/.test(html); i++) html = decodeEntities(html);
  const markdown = html
    .replace(/<(script|style|iframe|object)[\s\S]*?<\/\1>/gi, '')
    .replace(/<h([1-6])[^>]*>([\s\S]*?)<\/h\1>/gi, (_, level: string, text: string) => `\n\n${'#'.repeat(Math.max(2, Number(level)))} ${inline(text)}\n\n`)
    .replace(/<li[^>]*>([\s\S]*?)<\/li>/gi, (_, text: string) => `\n- ${inline(text)}`)
    .replace(/<\/(ul|ol)>/gi, '\n\n')
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/(p|div)>/gi, '\n\n')
    .replace(/<(?!\/?(strong|b|em|i|a)\b)[^>]*>/gi, '');
  return inline(markdown)
    .split('\n')
    .map((l) => l.trimEnd())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** Bold, italics and http(s) links kept; any other link or tag reduced to its text. */
function inline(html: string): string {
  return decodeEntities(
    html
      .replace(/<(strong|b)\b[^>]*>([\s\S]*?)<\/\1>/gi, (_, _t: string, text: string) => `**${text.trim()}**`)
      .replace(/<(em|i)\b[^>]*>([\s\S]*?)<\/\1>/gi, (_, _t: string, text: string) => `*${text.trim()}*`)
      .replace(/<a\b[^>]*href\s*=\s*["']([^"']*)["'][^>]*>([\s\S]*?)<\/a>/gi, (_, href: string, text: string) => (/^https?:\/\//i.test(href.trim()) ? `[${text.replace(/<[^>]*>/g, '').trim()}](${href.trim()})` : text))
      .replace(/<[^>]*>/g, ''),
  );
}

function decodeEntities(s: string): string {
  return s.replace(/&(lt|gt|quot|#0?39|apos|nbsp|amp);/g, (_, e: string) => ({ lt: '<', gt: '>', quot: '"', '#039': "'", '#39': "'", apos: "'", nbsp: ' ', amp: '&' })[e] ?? '');
}
