/**
 * `npm run db -- export-user | erase-user`: a person's data from the command line (src/cli/db.ts parses
 * the arguments). Both are audited as done by the system through the command line.
 */
import { writeFile } from 'node:fs/promises';
import type { Env } from '../config.ts';
import { openDatabase } from '../persistence/database.ts';
import { PrismaPrivacyStore } from '../persistence/stores/privacy.ts';
import type { PrivacyActor } from '../privacy/ports.ts';
import { tombstoneName } from '../privacy/tombstone.ts';

const CLI: PrivacyActor = { id: null, kind: 'system', via: 'cli' };

async function withStore<T>(config: Env, work: (store: PrismaPrivacyStore) => Promise<T>): Promise<T> {
  const db = await openDatabase(config.DATABASE_URL, { migrate: false });
  try {
    return await work(new PrismaPrivacyStore(db));
  } finally {
    await db.close();
  }
}

/** Prints (or writes to `out`) the JSON of `who`'s data; exit 1 when nobody matches. */
export function exportUser(config: Env, who: string, out: string | undefined): Promise<number> {
  return withStore(config, async (store) => {
    const person = await store.find(who);
    if (!person) {
      console.error(`db: export-user: nobody matches "${who}" (an id or an e-mail address; erased people have nothing left to export)`);
      return 1;
    }
    const json = `${JSON.stringify(await store.exportData(person.id, CLI, new Date()), null, 2)}\n`;
    if (out) {
      await writeFile(out, json, { mode: 0o600 });
      console.error(`db: export-user: ${person.id} written to ${out}`);
    } else process.stdout.write(json);
    return 0;
  });
}

/** Erases `who` once confirmed with --yes; exit 1 when nobody matches, 64 without --yes. */
export function eraseUser(config: Env, who: string, confirmed: boolean): Promise<number> {
  if (!confirmed) {
    console.error('db: erase-user cannot be undone: add --yes to confirm');
    return Promise.resolve(64);
  }
  return withStore(config, async (store) => {
    const person = await store.find(who);
    if (!person) {
      console.error(`db: erase-user: nobody matches "${who}" (an id or an e-mail address, not already erased)`);
      return 1;
    }
    const report = await store.erase(person.id, CLI, tombstoneName(person.id, config.DEFAULT_LOCALE), new Date());
    console.log(`db: erase-user: ${person.id} is now "${report.tombstone}": ${report.ticketsKept} ticket(s) kept, ${report.messagesDeleted} message(s) and ${report.conversationsDeleted} conversation(s) deleted, ${report.mentionsScrubbed} mention(s) replaced`);
    return 0;
  });
}
