/**
 * Wires the core to its persistence, language tools and domain modules. Used
 * by the server, the terminal chat and the integration tests, so all three run
 * the same bot.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { handleTurn, type CoreDeps } from '../core/handle-turn.ts';
import { OutboundChannels } from '../core/channel-contract.ts';
import { createNotifier } from '../core/notifier.ts';
import { systemClock } from '../core/ports.ts';
import { detectLanguage } from '../nlu/language.ts';
import { openDatabase } from '../persistence/database.ts';
import { PrismaConversationStore } from '../persistence/stores/conversations.ts';
import { PrismaUserDirectory } from '../persistence/stores/users.ts';
import { openKnowledge } from './open-knowledge.ts';
import { openTicketing } from './open-ticketing.ts';
import { openFlows } from './open-flows.ts';
import { openDirectory } from './open-directory.ts';
import { answerOutage } from '../ticketing/outage-answer.ts';
import type { Lang } from '../core/lang.ts';
import { openJobs } from './jobs.ts';

import type { Guichet, GuichetOptions } from './types.ts';
import type { Config } from '../config.ts';

export type { FlowsReport, Guichet, GuichetOptions } from './types.ts';

export function hasTicketDesk(configDir: string): boolean {
  return existsSync(join(configDir, 'groups.yml')) && existsSync(join(configDir, 'sla.yml'));
}

/** Opens the database (applying pending migrations) and builds the core. */
/** What every entry point (server, terminal chat) gives createGuichet from the settings: the database and the content folders. */
export function settingsOptions(config: Pick<Config, 'DATABASE_URL' | 'DEFAULT_LOCALE' | 'KNOWLEDGE_DIR' | 'CONFIG_DIR' | 'DIALOGS_DIR' | 'CACHE_DIR'>) {
  const cacheDir = config.CACHE_DIR === 'off' ? undefined : (config.CACHE_DIR ?? defaultCacheDir(config.DATABASE_URL));
  return { databaseUrl: config.DATABASE_URL, defaultLang: config.DEFAULT_LOCALE, knowledgeDir: config.KNOWLEDGE_DIR, configDir: config.CONFIG_DIR, dialogsDir: config.DIALOGS_DIR, cacheDir };
}

/** `cache` beside the SQLite file (`file:./data/guichet.db` → `data/cache`), else `data/cache`. */
function defaultCacheDir(databaseUrl: string): string {
  return databaseUrl.startsWith('file:') ? join(dirname(databaseUrl.slice('file:'.length).split('?')[0]!), 'cache') : join('data', 'cache');
}

export async function createGuichet(options: GuichetOptions): Promise<Guichet> {
  const db = await openDatabase(options.databaseUrl, { migrate: options.migrate ?? true });
  try {
    const clock = options.clock ?? systemClock;
    const deps: CoreDeps = {
      users: new PrismaUserDirectory(db),
      conversations: new PrismaConversationStore(db),
      language: { detect: detectLanguage },
      clock,
      defaultLang: options.defaultLang,
      onEffectError: options.onEffectError,
      // Every turn's decision (route, flow, articles, urgent, confidence, reason), for measuring conversation quality.
      onDecision: (decision, turn) => options.logger?.debug?.({ ...turn, decision }, 'turn decision'),
    };
    const knowledge = options.configDir ? await openKnowledge(db, deps, { ...options, configDir: options.configDir, clock }) : undefined;
    const channels = options.channels ?? new OutboundChannels();
    const notifier = options.notifier ?? createNotifier(deps.conversations, channels, (channel, err) => options.onError?.(err, `notification on ${channel}`));
    const jobs = openJobs(db, { url: options.databaseUrl, clock, settings: options.jobs, onError: options.onError });
    const ticketing =
      options.configDir && hasTicketDesk(options.configDir)
        ? await openTicketing(db, deps, { ...options, configDir: options.configDir, clock, notifier, channels, knowledge: knowledge?.base, jobQueue: jobs })
        : undefined;
    const conversation =
      options.dialogsDir && options.configDir
        ? await openFlows(db, deps, {
            ...options,
            dialogsDir: options.dialogsDir,
            configDir: options.configDir,
            knowledge: knowledge?.base,
            desk: ticketing?.desk,
            handoff: ticketing?.handoff,
            ...(ticketing ? { groupIds: ticketing.deskConfig.groups.map((g) => g.id) } : {}),
            // "Yes, that's it" to a known outage: the user follows the incident (their open reports of its services
            // linked), no ticket of their own unless they ask for one ("open a ticket").
            incidents:
              options.incidents ??
              (ticketing
                ? {
                    linkReport: async (incidentNumber, report) => {
                      await ticketing.incidents.join(report.requesterId, incidentNumber);
                      return { created: false };
                    },
                  }
                : undefined),
          })
        : undefined;
    // Around the flows: it reads the account when the password or MFA guide starts.
    const directory = options.directory
      ? await openDirectory(db, deps, { ...options.directory, desk: ticketing?.desk, services: ticketing?.deskConfig.services, changeListeners: ticketing?.changeListeners, defaultLang: options.defaultLang })
      : undefined;
    if (conversation) options.logger?.info({ ...conversation.report }, 'flows loaded, intent classifier trained');
    // Major incidents tell people in a guide of an affected service at once: each guide's service.
    for (const flow of conversation?.flows ?? []) ticketing?.incidents.guideServices.set(flow.id, flow.service);
    // Outage questions answer from the open major incidents that reach the person (the CMDB).
    if (ticketing) {
      const { incidents, deskConfig, desk } = ticketing;
      const outageAnswer = (userId: string, lang: Lang, folded: string) =>
        answerOutage({ incidents, services: deskConfig.services, emailOf: async (id) => (await desk.internals.repository.person(id))?.email ?? undefined, ...(options.timeZone ? { timeZone: options.timeZone } : {}) }, userId, lang, folded);
      deps.routing = { ...(deps.routing ?? { otherServices: [] }), outageAnswer };
    }
    return {
      db,
      deps,
      knowledge: knowledge?.base,
      knowledgeSync: knowledge?.sync,
      ...ticketing,
      flows: conversation?.flows,
      flowsReport: conversation?.report,
      notifier,
      directory,
      jobs,
      turn: (message) => handleTurn(deps, message),
      ping: () => db.ping(),
      close: async () => {
        ticketing?.incidents.notices.stop();
        await jobs.stop();
        await ticketing?.scheduler.stop();
        await ticketing?.glpi?.stop();
        directory?.close();
        await db.close();
      },
    };
  } catch (err) {
    await db.close();
    throw err;
  }
}
