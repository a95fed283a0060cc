/** Builds the GLPI connector from its settings and the ports the composition root gives it. */
import type { Lang } from '../../core/lang.ts';
import type { Clock, Notifier } from '../../core/ports.ts';
import type { AgentDesk } from '../../core/tickets.ts';
import { GlpiClient } from './client.ts';
import { GlpiConnector, type GlpiJobs } from './connector.ts';
import type { RetryPolicy, TicketEvents } from './context.ts';
import { assertKnownGroups, loadMapping, type GlpiMapping } from './mapping.ts';
import type { GlpiStore } from './ports.ts';

export interface GlpiSettings {
  /** GLPI's API base URL, ending with apirest.php. */
  url: string;
  appToken?: string;
  userToken: string;
  /** One call's time limit, milliseconds (the first try of a new ticket is bounded by it). */
  timeoutMs: number;
  /** 0: no polling. */
  pollIntervalMs: number;
  webhookSecret?: string;
  /** config/glpi-mapping.yml, or the mapping itself (tests). */
  mapping: string | GlpiMapping;
  retry?: Partial<RetryPolicy>;
  fetch?: typeof fetch;
}

export interface GlpiPorts {
  store: GlpiStore;
  /** The job queue that delivers the outbox and polls GLPI (its handlers are registered here). */
  jobs: GlpiJobs;
  desk: AgentDesk;
  events: TicketEvents;
  notifier: Notifier;
  clock: Clock;
  /** The desk account GLPI's technicians act as. */
  agentId: string;
  admins: () => Promise<string[]>;
  defaultLang: Lang;
  onError: (err: unknown, context: string) => void;
  /** The support groups of groups.yml: the mapping may name no other. */
  groupIds?: readonly string[];
}

export const DEFAULT_RETRY: RetryPolicy = { baseMs: 5_000, maxMs: 15 * 60_000, maxAttempts: 20 };

export function createGlpiConnector(settings: GlpiSettings, ports: GlpiPorts): GlpiConnector {
  const client = new GlpiClient({ url: settings.url, appToken: settings.appToken, userToken: settings.userToken, timeoutMs: settings.timeoutMs, fetch: settings.fetch });
  const mapping = typeof settings.mapping === 'string' ? loadMapping(settings.mapping) : settings.mapping;
  if (ports.groupIds) assertKnownGroups(mapping, ports.groupIds, typeof settings.mapping === 'string' ? settings.mapping : 'the GLPI mapping');
  return new GlpiConnector(
    {
      client,
      mapping,
      store: ports.store,
      desk: ports.desk,
      events: ports.events,
      notifier: ports.notifier,
      clock: ports.clock,
      agent: { id: ports.agentId, role: 'agent' },
      defaultLang: ports.defaultLang,
      admins: ports.admins,
      retry: { ...DEFAULT_RETRY, ...settings.retry },
      onError: ports.onError,
    },
    ports.jobs,
    { pollIntervalMs: settings.pollIntervalMs, webhookSecret: settings.webhookSecret },
  );
}
