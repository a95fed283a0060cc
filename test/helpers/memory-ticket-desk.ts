/**
 * The real ticket desk on the in-memory repository (src/ticketing/memory-repository.ts), for unit
 * tests of ticket rules and of conversations without a database: the status machine, the SLA
 * calendar, notifications, the SLA clock and major incidents all run as in production.
 */
import type { Clock } from '../../src/core/ports.ts';
import type { BusinessCalendar } from '../../src/ticketing/calendar.ts';
import type { DeskConfig } from '../../src/ticketing/config.ts';
import { TicketDeskService, type DeskDeps } from '../../src/ticketing/desk/ticket-desk.ts';
import { MajorIncidents } from '../../src/ticketing/major-incidents.ts';
import { MemoryIncidentStore } from '../../src/ticketing/memory-incidents.ts';
import { MemoryTicketRepository } from '../../src/ticketing/memory-repository.ts';
import { DEFAULT_MATRIX } from '../../src/ticketing/priority.ts';
import { createSlaScheduler } from '../../src/ticketing/scheduler.ts';
import { RecordingNotifier } from './recording-notifier.ts';

/** Paris office hours, Monday to Friday 08:30–12:30 and 13:30–17:30 (8 business hours a day). */
const DAY: [string, string][] = [['08:30', '12:30'], ['13:30', '17:30']];

export const PARIS: BusinessCalendar = {
  id: 'paris',
  name: 'Paris',
  timeZone: 'Europe/Paris',
  hours: { mon: DAY, tue: DAY, wed: DAY, thu: DAY, fri: DAY, sat: [], sun: [] },
  holidays: [],
};

const targets = (response: number, resolution: number) => ({ responseMinutes: response, resolutionMinutes: resolution });

/** One policy on the Paris calendar that pauses while waiting for the requester: P1 1 h/4 h … P5 8 h/80 h. */
export const MEMORY_DESK_CONFIG = {
  calendars: [PARIS],
  policies: [{ id: 'standard', name: 'Standard', calendarId: 'paris', pauseOnPending: true, targets: { '1': targets(60, 240), '2': targets(120, 480), '3': targets(240, 960), '4': targets(480, 2400), '5': targets(480, 4800) } }],
  rules: [],
  matrix: DEFAULT_MATRIX,
  groups: [],
  serviceDeskLead: undefined,
  autoCloseBusinessDays: 3,
  majorIncidentSuggestion: { windowMinutes: 30, threshold: 3 },
  services: [],
  cmdb: { people: [], items: [], dependencies: [] },
} as unknown as DeskConfig;

export interface MemoryDeskOptions extends Partial<Omit<DeskDeps, 'repository' | 'clock'>> {
  clock?: Clock;
  config?: DeskConfig;
  /** People not added are employees named by their id (conversation tests). */
  anyoneIsKnown?: boolean;
}

export function memoryTicketDesk(options: MemoryDeskOptions = {}) {
  const clock = options.clock ?? { now: () => new Date('2026-11-23T09:00:00Z') };
  const config = options.config ?? MEMORY_DESK_CONFIG;
  const notifier = (options.notifier as RecordingNotifier | undefined) ?? new RecordingNotifier();
  const incidents = new MemoryIncidentStore();
  const repository = new MemoryTicketRepository({ now: () => clock.now(), anyoneIsKnown: options.anyoneIsKnown, incidentOf: incidents.titleOf });
  const errors: unknown[] = [];
  const desk = new TicketDeskService({ defaultLang: 'fr', timeZone: 'Europe/Paris', onError: (err) => errors.push(err), ...options, repository, incidents, clock, notifier, config });
  const majorIncidents = new MajorIncidents({ store: incidents, clock, desk: desk.internals, resolveTicket: (n, actor, text) => desk.resolve(n, actor, text), config });
  const scheduler = createSlaScheduler({ clock, desk: desk.internals, config });
  return { desk, repository, incidents, majorIncidents, scheduler, notifier, errors, config };
}
