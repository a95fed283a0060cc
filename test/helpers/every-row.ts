/** Every row of every table of a test database, as JSON lines: to prove a value is stored nowhere. */
import type { Database } from '../../src/persistence/database.ts';
import { Prisma } from '../../src/persistence/generated/sqlite/browser.ts';

/** Every Prisma model (user, ticket, message, …), from the generated client: a new table is included. */
export function modelNames(_db?: Database): string[] {
  return Object.values(Prisma.ModelName).map((name) => name.charAt(0).toLowerCase() + name.slice(1));
}

/** `{model: rows}` for every model. */
export async function everyRow(db: Database): Promise<Record<string, unknown[]>> {
  const client = db.client as unknown as Record<string, { findMany(): Promise<unknown[]> }>;
  const out: Record<string, unknown[]> = {};
  for (const model of modelNames(db)) out[model] = await client[model]!.findMany();
  return out;
}

/** The models whose rows contain `needle` (as JSON text), with the matching rows. */
export async function rowsContaining(db: Database, needle: string): Promise<Record<string, unknown[]>> {
  const found: Record<string, unknown[]> = {};
  for (const [model, rows] of Object.entries(await everyRow(db))) {
    const hits = rows.filter((r) => JSON.stringify(r).includes(needle));
    if (hits.length > 0) found[model] = hits;
  }
  return found;
}
