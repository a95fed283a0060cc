/**
 * A person's computers and phones in GLPI (Computer and Phone whose user is them), for the contact
 * record agents see. The person is found by e-mail (User search option 5).
 */
import { z } from 'zod';
import type { ContactView } from '../../core/tickets.ts';
import type { GlpiContext } from './context.ts';

const num = z.coerce.number().int();
const assetRow = z
  .object({ id: num, name: z.string().nullable(), otherserial: z.string().nullable().optional(), serial: z.string().nullable().optional(), users_id: z.union([num, z.string()]), states_id: z.union([num, z.string()]).optional(), is_deleted: num.optional() })
  .passthrough();

const KINDS = [
  { itemtype: 'Computer', kind: 'computer' },
  { itemtype: 'Phone', kind: 'phone' },
] as const;

export async function glpiUserId(ctx: GlpiContext, email: string): Promise<number | undefined> {
  const rows = await ctx.client.search('User', { 'criteria[0][field]': 5, 'criteria[0][searchtype]': 'equals', 'criteria[0][value]': email, 'forcedisplay[0]': 2, range: '0-1' });
  const id = Number(rows[0]?.['2']);
  return Number.isInteger(id) && id > 0 ? id : undefined;
}

export async function assetsOf(ctx: GlpiContext, email: string): Promise<ContactView['assets']> {
  const userId = await glpiUserId(ctx, email);
  if (userId === undefined) return [];
  const assets: ContactView['assets'] = [];
  for (const { itemtype, kind } of KINDS) {
    // searchText matches with LIKE: anchored, then checked exactly below.
    const rows = await ctx.client.getItems(itemtype, assetRow, { 'searchText[users_id]': `^${userId}$`, is_deleted: 0, expand_dropdowns: false, range: '0-99' });
    for (const row of rows.filter((r) => Number(r.users_id) === userId && !r.is_deleted)) {
      assets.push({ tag: row.otherserial || row.serial || `${itemtype}-${row.id}`, kind, name: row.name ?? `${itemtype} ${row.id}`, status: 'GLPI' });
    }
  }
  return assets;
}
