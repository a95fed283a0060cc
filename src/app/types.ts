/** What createGuichet is given and what it builds (guichet.ts), shared by the start-up parts of the composition root. */
import type { CoreDeps, TurnResult } from '../core/handle-turn.ts';
import type { Lang } from '../core/lang.ts';
import type { InboundMessage } from '../core/messages.ts';
import type { OutboundChannels } from '../core/channel-contract.ts';
import type { Clock, Notifier } from '../core/ports.ts';
import type { Handoff } from '../handoff/handoff.ts';
import type { DeskConfig } from '../ticketing/config.ts';
import type { TicketDeskService } from '../ticketing/desk/ticket-desk.ts';
import type { MajorIncidents } from '../ticketing/major-incidents.ts';
import type { Alerts } from '../ticketing/alerts.ts';
import type { SlaScheduler } from '../ticketing/scheduler.ts';
import type { JobRunner } from '../jobs/runner.ts';
import type { JobSettings } from './jobs.ts';
import type { ConfigSyncReport } from '../persistence/stores/desk-config.ts';
import type { IndexedKnowledgeBase } from '../knowledge/knowledge-base.ts';
import type { SyncReport } from '../knowledge/sync.ts';
import type { IncidentReports } from '../flows/module.ts';
import type { Flow } from '../flows/schema.ts';
import type { Database } from '../persistence/database.ts';
import type { GlpiConnector } from '../connectors/glpi/connector.ts';
import type { GlpiSettings } from '../connectors/glpi/create-glpi-connector.ts';
import type { DeskOrganisationHandle } from './desks.ts';
import type { EventSender } from '../desks/pagerduty.ts';
import type { DirectoryOptions, OpenedDirectory } from './open-directory.ts';

export interface GuichetOptions {
  databaseUrl: string;
  /** Apply pending migrations at start-up (default true); false for a database another instance already migrated. */
  migrate?: boolean;
  defaultLang: Lang;
  clock?: Clock;
  /** The job queue's settings (src/app/jobs.ts); defaults when absent. */
  jobs?: Partial<JobSettings>;
  /**
   * The knowledge folder, synced into the database at start-up (a content error stops
   * the start with the file, field and problem). Without it the bot answers from what
   * the database already holds, and only when `configDir` is given.
   */
  knowledgeDir?: string;
  /**
   * Folder of the start-up caches (search index, intent classifier, knowledge files: src/core/cache-file.ts);
   * none: everything is computed at every start.
   */
  cacheDir?: string;
  /** Folder of services.yml (and the ticketing configuration). Enables the knowledge base. */
  configDir?: string;
  /** Told about failures of work done after a committed turn (a lost rating or gap). */
  onEffectError?: (err: unknown) => void;
  /**
   * The channels' outbound sides (proactive senders, agents' channel posters), looked up when a
   * message is sent: the composition root builds the channels after the core and adds them here.
   */
  channels?: OutboundChannels;
  /** Replaces the notifier built from `channels` (tests record what users are told). */
  notifier?: Notifier;
  /** Base URL of the web console, for links to a ticket's full record. */
  publicUrl?: string;
  /** Time zone used to show due times when the user's is unknown. */
  timeZone?: string;
  /** Told about failures of background work (notifications, card updates, the SLA clock). */
  onError?: (err: unknown, context: string) => void;
  /**
   * The folder of the conversation flows (`dialogs`). With `configDir`, the flows are loaded
   * (a broken flow stops the start with the file, node and problem), the intent classifier is
   * trained on their examples, and conversations are routed to them.
   */
  dialogsDir?: string;
  /** Links a flow's report to an open major incident instead of a ticket of its own (the ticketing's major incidents). */
  incidents?: IncidentReports;
  /**
   * GLPI as the system of record (src/connectors/glpi): tickets are created and followed in GLPI.
   * The mapping defaults to `<configDir>/glpi-mapping.yml`. Without it, Guichet is the system of record.
   */
  glpi?: Omit<GlpiSettings, 'mapping'> & { mapping?: GlpiSettings['mapping'] };
  /** The on-call paging webhook (Events API v2: PagerDuty, Opsgenie); `send` replaces the HTTP post in tests. */
  paging?: { url: string; routingKey: string; send?: EventSender };
  /** The company directory (DIRECTORY=ldap|graph): account checks and first-level actions in the password and MFA guides. */
  directory?: Omit<DirectoryOptions, 'desk' | 'services' | 'changeListeners' | 'defaultLang'>;
  /** Start-up facts (flows loaded, intent classifier trained and how long it took). */
  logger?: { info(fields: object, message: string): void; debug?(fields: object, message: string): void; warn?(fields: object, message: string): void };
}

/** What was set up for conversations at start-up. */
export interface FlowsReport {
  flows: number;
  /** Training examples of the intent classifier (flows' and global intents'). */
  examples: number;
  intents: number;
  /** Confidence threshold chosen by calibration. */
  threshold: number;
  /** Training time including calibration, milliseconds. */
  trainMs: number;
}

export interface Guichet {
  db: Database;
  deps: CoreDeps;
  /** The knowledge base, when enabled (admins' changes rebuild its index). */
  knowledge?: IndexedKnowledgeBase;
  /** What the start-up sync of the knowledge folder did. */
  knowledgeSync?: SyncReport;
  /** The ticket desk, when the configuration folder has groups.yml and sla.yml. */
  desk?: TicketDeskService;
  handoff?: Handoff;
  incidents?: MajorIncidents;
  /** Monitoring alerts (POST /alerts/…), with the desk. */
  alerts?: Alerts;
  /** The SLA clock (not started: the server schedules it on `jobs`, scheduleSlaClock in src/app/jobs.ts). */
  scheduler?: SlaScheduler;
  /**
   * The job queue (not started: `start()` it where jobs should run; `stop()` lets those in flight
   * finish; `depth()`, `oldestAgeSeconds()` for metrics; `deadList()`, `revive(id)` for admins).
   * Tests run its due jobs with `drain()`.
   */
  jobs: JobRunner;
  deskConfig?: DeskConfig;
  deskSync?: ConfigSyncReport;
  /** Desks, live queue and on-call paging, when the configuration folder has desks.yml; `reload` re-reads it (audited). */
  desks?: DeskOrganisationHandle;
  /** The GLPI connector, when GLPI is the system of record (not started: `start()` it where one process should poll). */
  glpi?: GlpiConnector;
  /** The flows loaded from `dialogsDir`. */
  flows?: Flow[];
  flowsReport?: FlowsReport;
  notifier: Notifier;
  /** The directory actions and password resets, when a directory is configured (the portal's reset page uses them). */
  directory?: OpenedDirectory;
  turn(message: InboundMessage): Promise<TurnResult>;
  /** Resolves when the database answers a trivial query. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** Whether `configDir` configures a ticket desk (groups.yml and sla.yml beside services.yml). */
