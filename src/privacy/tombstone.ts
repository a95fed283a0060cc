/** The name an erased person's tickets keep: "former user #a1b2c3", stable for one id, no personal data in it. */
import { createHash } from 'node:crypto';
import type { Lang } from '../core/lang.ts';
import { say } from '../texts/index.ts';

/** A short tag derived from the user id (not reversible to a name; the same id always gives the same tag). */
export function tombstoneTag(userId: string): string {
  return createHash('sha256').update(`guichet-tombstone:${userId}`).digest('hex').slice(0, 6);
}

export function tombstoneName(userId: string, lang: Lang): string {
  return say(lang, 'privacy.tombstone', { tag: tombstoneTag(userId) });
}
