/** The knowledge base at start-up: sync of the knowledge folder, the search index, the admins' curation commands. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { GuichetError } from '../core/errors.ts';
import { type CoreDeps } from '../core/handle-turn.ts';
import { type Clock } from '../core/ports.ts';
import { createCurationCommands } from '../knowledge/curation.ts';
import { IndexedKnowledgeBase } from '../knowledge/knowledge-base.ts';
import { loadServiceIds } from '../catalog/services.ts';
import { describeSync, syncKnowledgeListed, type SyncReport } from '../knowledge/sync.ts';
import type { StoredVersion } from '../knowledge/article-store.ts';
import { loadSynonymFile } from '../nlu/synonyms.ts';
import { type Database } from '../persistence/database.ts';
import { PrismaArticleStore } from '../persistence/stores/articles.ts';
import { PrismaResolvedTickets } from '../persistence/stores/resolved-tickets.ts';
import type { GuichetOptions } from './types.ts';

/** Syncs the knowledge folder, builds the search index and the admins' curation commands. */
export async function openKnowledge(db: Database, deps: CoreDeps, options: GuichetOptions & { configDir: string; clock: Clock }) {
  const serviceIds = loadServiceIds(options.configDir);
  const store = new PrismaArticleStore(db);
  const cache = options.cacheDir;
  let sync: SyncReport | undefined;
  let versions: StoredVersion[] | undefined;
  if (options.knowledgeDir) {
    const fileCache = cache ? { fileCache: { file: join(cache, 'knowledge-files.bin') } } : {};
    let cacheError: Error | undefined;
    ({ report: sync, versions, cacheError } = await syncKnowledgeListed(store, options.knowledgeDir, serviceIds, fileCache));
    if (cacheError) options.logger?.warn?.({ error: cacheError.message }, 'knowledge files cache not saved');
    if (sync.errors.length > 0) {
      throw new GuichetError('knowledge.invalid', `knowledge folder "${options.knowledgeDir}" has errors:\n${describeSync(sync).join('\n')}`);
    }
  }
  const synonymsFile = options.knowledgeDir ? join(options.knowledgeDir, 'synonyms.yml') : undefined;
  const synonyms = synonymsFile && existsSync(synonymsFile) ? loadSynonymFile(synonymsFile) : [];
  const indexCache = cache ? { file: join(cache, 'search-index.bin'), log: (fields: object, message: string) => options.logger?.info(fields, message) } : undefined;
  const base = new IndexedKnowledgeBase(store, synonyms, indexCache);
  await base.refresh(versions);
  deps.knowledge = base;
  deps.commands = [
    ...(deps.commands ?? []),
    createCurationCommands({
      store,
      serviceIds,
      synonyms,
      tickets: new PrismaResolvedTickets(db),
      changed: () => base.refresh(undefined, { cached: false }),
      today: () => options.clock.now().toISOString().slice(0, 10),
    }),
  ];
  return { base, sync };
}
