/**
 * Wires the core to its persistence and language tools. Used by the server,
 * the terminal chat and the integration tests, so all three run the same bot.
 */
import { handleTurn, type CoreDeps, type TurnResult } from './core/handle-turn.ts';
import type { Lang } from './core/lang.ts';
import type { InboundMessage } from './core/messages.ts';
import { systemClock, type Clock } from './core/ports.ts';
import { detectLanguage } from './nlu/language.ts';
import { openDatabase, type Database } from './persistence/database.ts';
import { PrismaConversationStore } from './persistence/stores/conversations.ts';
import { PrismaUserDirectory } from './persistence/stores/users.ts';

export interface GuichetOptions {
  databaseUrl: string;
  defaultLang: Lang;
  clock?: Clock;
}

export interface Guichet {
  db: Database;
  deps: CoreDeps;
  turn(message: InboundMessage): Promise<TurnResult>;
  /** Resolves when the database answers a trivial query. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** Opens the database (applying pending migrations) and builds the core. */
export async function createGuichet(options: GuichetOptions): Promise<Guichet> {
  const db = await openDatabase(options.databaseUrl, { migrate: true });
  const deps: CoreDeps = {
    users: new PrismaUserDirectory(db),
    conversations: new PrismaConversationStore(db),
    language: { detect: detectLanguage },
    clock: options.clock ?? systemClock,
    defaultLang: options.defaultLang,
  };
  return {
    db,
    deps,
    turn: (message) => handleTurn(deps, message),
    ping: async () => {
      await db.client.$queryRawUnsafe('SELECT 1');
    },
    close: () => db.close(),
  };
}
