/**
 * Wires the core to its persistence, language tools and domain modules. Used
 * by the server, the terminal chat and the integration tests, so all three run
 * the same bot.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { GuichetError } from './core/errors.ts';
import { handleTurn, type CoreDeps, type TurnResult } from './core/handle-turn.ts';
import type { Lang } from './core/lang.ts';
import type { InboundMessage } from './core/messages.ts';
import { systemClock, type Clock } from './core/ports.ts';
import { createCurationCommands } from './knowledge/curation.ts';
import { IndexedKnowledgeBase } from './knowledge/knowledge-base.ts';
import { loadServiceIds } from './knowledge/services.ts';
import { describeSync, syncKnowledge, type SyncReport } from './knowledge/sync.ts';
import { detectLanguage } from './nlu/language.ts';
import { loadSynonymFile } from './nlu/synonyms.ts';
import { openDatabase, type Database } from './persistence/database.ts';
import { PrismaArticleStore } from './persistence/stores/articles.ts';
import { PrismaConversationStore } from './persistence/stores/conversations.ts';
import { PrismaResolvedTickets } from './persistence/stores/resolved-tickets.ts';
import { PrismaUserDirectory } from './persistence/stores/users.ts';

export interface GuichetOptions {
  databaseUrl: string;
  defaultLang: Lang;
  clock?: Clock;
  /**
   * The knowledge folder, synced into the database at start-up (a content error stops
   * the start with the file, field and problem). Without it the bot answers from what
   * the database already holds, and only when `configDir` is given.
   */
  knowledgeDir?: string;
  /** Folder of services.yml (and the ticketing configuration). Enables the knowledge base. */
  configDir?: string;
  /** Told about failures of work done after a committed turn (a lost rating or gap). */
  onEffectError?: (err: unknown) => void;
}

export interface Guichet {
  db: Database;
  deps: CoreDeps;
  /** The knowledge base, when enabled (admins' changes rebuild its index). */
  knowledge?: IndexedKnowledgeBase;
  /** What the start-up sync of the knowledge folder did. */
  knowledgeSync?: SyncReport;
  turn(message: InboundMessage): Promise<TurnResult>;
  /** Resolves when the database answers a trivial query. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** Opens the database (applying pending migrations) and builds the core. */
export async function createGuichet(options: GuichetOptions): Promise<Guichet> {
  const db = await openDatabase(options.databaseUrl, { migrate: true });
  try {
    const clock = options.clock ?? systemClock;
    const deps: CoreDeps = {
      users: new PrismaUserDirectory(db),
      conversations: new PrismaConversationStore(db),
      language: { detect: detectLanguage },
      clock,
      defaultLang: options.defaultLang,
      onEffectError: options.onEffectError,
    };
    const knowledge = options.configDir ? await openKnowledge(db, deps, { ...options, configDir: options.configDir, clock }) : undefined;
    return {
      db,
      deps,
      knowledge: knowledge?.base,
      knowledgeSync: knowledge?.sync,
      turn: (message) => handleTurn(deps, message),
      ping: async () => {
        await db.client.$queryRawUnsafe('SELECT 1');
      },
      close: () => db.close(),
    };
  } catch (err) {
    await db.close();
    throw err;
  }
}

/** Syncs the knowledge folder, builds the search index and the admins' curation commands. */
async function openKnowledge(db: Database, deps: CoreDeps, options: GuichetOptions & { configDir: string; clock: Clock }) {
  const serviceIds = loadServiceIds(options.configDir);
  const store = new PrismaArticleStore(db);
  let sync: SyncReport | undefined;
  if (options.knowledgeDir) {
    sync = await syncKnowledge(store, options.knowledgeDir, serviceIds);
    if (sync.errors.length > 0) {
      throw new GuichetError('knowledge.invalid', `knowledge folder "${options.knowledgeDir}" has errors:\n${describeSync(sync).join('\n')}`);
    }
  }
  const synonymsFile = options.knowledgeDir ? join(options.knowledgeDir, 'synonyms.yml') : undefined;
  const synonyms = synonymsFile && existsSync(synonymsFile) ? loadSynonymFile(synonymsFile) : [];
  const base = new IndexedKnowledgeBase(store, synonyms);
  await base.refresh();
  deps.knowledge = base;
  deps.commands = [
    ...(deps.commands ?? []),
    createCurationCommands({
      store,
      serviceIds,
      synonyms,
      tickets: new PrismaResolvedTickets(db),
      changed: () => base.refresh(),
      today: () => options.clock.now().toISOString().slice(0, 10),
    }),
  ];
  return { base, sync };
}
