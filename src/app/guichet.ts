/**
 * Wires the core to its persistence, language tools and domain modules. Used
 * by the server, the terminal chat and the integration tests, so all three run
 * the same bot.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
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
import { openJobs } from './jobs.ts';

import type { Guichet, GuichetOptions } from './types.ts';
import type { Config } from '../config.ts';

export type { FlowsReport, Guichet, GuichetOptions } from './types.ts';

export function hasTicketDesk(configDir: string): boolean {
  return existsSync(join(configDir, 'groups.yml')) && existsSync(join(configDir, 'sla.yml'));
}

/** Opens the database (applying pending migrations) and builds the core. */
/** What every entry point (server, terminal chat) gives createGuichet from the settings: the database and the content folders. */
export function settingsOptions(config: Pick<Config, 'DATABASE_URL' | 'DEFAULT_LOCALE' | 'KNOWLEDGE_DIR' | 'CONFIG_DIR' | 'DIALOGS_DIR'>) {
  return { databaseUrl: config.DATABASE_URL, defaultLang: config.DEFAULT_LOCALE, knowledgeDir: config.KNOWLEDGE_DIR, configDir: config.CONFIG_DIR, dialogsDir: config.DIALOGS_DIR };
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
    const jobs = openJobs(db, { clock, settings: options.jobs, onError: options.onError });
    const ticketing =
      options.configDir && hasTicketDesk(options.configDir)
        ? await openTicketing(db, deps, { ...options, configDir: options.configDir, clock, notifier, channels, knowledge: knowledge?.base, jobQueue: jobs })
        : undefined;
    const conversation =
      options.dialogsDir && options.configDir
        ? openFlows(db, deps, {
            ...options,
            dialogsDir: options.dialogsDir,
            configDir: options.configDir,
            knowledge: knowledge?.base,
            desk: ticketing?.desk,
            handoff: ticketing?.handoff,
            // A report of a known outage: a ticket of its own (once per delivery), linked to the incident.
            incidents:
              options.incidents ??
              (ticketing
                ? {
                    linkReport: async (incidentNumber, report) => {
                      const made = await ticketing.desk.create(report);
                      await ticketing.incidents.link(made.ticket.number, incidentNumber);
                      return { ticket: (await ticketing.desk.view(made.ticket.number, { id: report.requesterId, role: 'employee' })) ?? made.ticket, created: made.created };
                    },
                  }
                : undefined),
          })
        : undefined;
    if (conversation) options.logger?.info({ ...conversation.report }, 'flows loaded, intent classifier trained');
    return {
      db,
      deps,
      knowledge: knowledge?.base,
      knowledgeSync: knowledge?.sync,
      ...ticketing,
      flows: conversation?.flows,
      flowsReport: conversation?.report,
      notifier,
      jobs,
      turn: (message) => handleTurn(deps, message),
      ping: async () => {
        await db.client.$queryRawUnsafe('SELECT 1');
      },
      close: async () => {
        await jobs.stop();
        await ticketing?.scheduler.stop();
        await ticketing?.glpi?.stop();
        await db.close();
      },
    };
  } catch (err) {
    await db.close();
    throw err;
  }
}
