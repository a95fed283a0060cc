/**
 * Reading the schema engine's errors: a Prisma error code when it has one, and the message without
 * the Rust span trace the wasm build appends ("   0: sql_schema_connector::…  at …rs:113").
 */

/** The Prisma error code (P1014, P3009, …), when the engine set one. */
export function engineCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** The engine's message, span trace removed, on one line per database message. */
export function engineMessage(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const kept: string[] = [];
  for (const line of text.split('\n')) {
    if (/^\s+\d+: /.test(line)) break; // the span trace starts: nothing after it is for people
    if (line.trim() !== '') kept.push(line.trim());
  }
  // "external connector error" is the wasm wrapper's heading; the database's words follow it.
  return kept.filter((line) => line !== 'external connector error').join(' ') || text.trim();
}

/** True for P1014 on `_prisma_migrations`: a database never migrated, not a failure. */
export const isMissingMigrationsTable = (error: unknown): boolean =>
  engineCode(error) === 'P1014' && engineMessage(error).includes('_prisma_migrations');
