/**
 * Files people send with a message (screenshots, logs): the reference Guichet keeps, its check and
 * how it is written in text. Apart from messages.ts so that tickets.ts can name a file without
 * importing the message vocabulary (which itself shows tickets).
 */
import { z } from 'zod';
import type { Lang } from './lang.ts';

/** Most files one message may carry (Slack allows 10 per message; Teams fewer). */
export const MAX_FILES = 10;

/**
 * A file the user sent with a message (a screenshot, a log): Guichet keeps a reference to it on the
 * platform (its name, type, size and a link people of the organisation can open), not the bytes.
 */
export const inboundFileSchema = z.object({
  name: z.string().trim().min(1).max(255),
  url: z
    .string()
    .max(2_000)
    .url()
    .refine((u) => /^https?:\/\//i.test(u), 'must be an http(s) link'),
  contentType: z.string().max(200).optional(),
  size: z.number().int().nonnegative().optional(),
});
export type InboundFile = z.output<typeof inboundFileSchema>;

/** A file as one line of plain text: its name and the link to it (renderers escape it as any text). */
export const fileLine = (f: InboundFile): string => `📎 ${f.name} — ${f.url}`;

/** The files a channel found in a message: each checked, those without a usable link left out, MAX_FILES at most. */
export function validFiles(candidates: readonly unknown[]): InboundFile[] {
  const out: InboundFile[] = [];
  for (const candidate of candidates) {
    const parsed = inboundFileSchema.safeParse(candidate);
    if (parsed.success && out.length < MAX_FILES) out.push(parsed.data);
  }
  return out;
}

/** Files' names, quoted as the language writes quotations. */
export function quotedNames(files: readonly InboundFile[], lang: Lang): string {
  return files.map((f) => (lang === 'fr' ? `« ${f.name} »` : `“${f.name}”`)).join(', ');
}
