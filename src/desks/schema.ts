/**
 * The shape of config/desks.yml (how the service desk is organised: local, central, virtual and
 * self-service desks, the sites they serve, their hours, their groups and skills) and of
 * config/oncall.yml (who is paged out of hours). Validated with zod; load.ts names the file and field.
 */
import { z } from 'zod';
import { calendarSchema, type BusinessCalendar } from '../ticketing/calendar.ts';

const id = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'must be lowercase letters, digits and dashes');
const email = z.string().trim().toLowerCase().email();
const lang = z.enum(['fr', 'en']);

export const DESK_TYPES = ['local', 'central', 'virtual', 'self-service'] as const;
export type DeskType = (typeof DESK_TYPES)[number];

/** How a group's waiting conversations get an agent: taken by hand, or given to the next agent in turn / the least loaded. */
export const ASSIGNMENT_MODES = ['manual', 'round-robin', 'least-loaded'] as const;
export type AssignmentMode = (typeof ASSIGNMENT_MODES)[number];

const groupSchema = z
  .object({
    /** A group of groups.yml. */
    id,
    skills: z
      .object({
        /** Ticket categories (incident, request, access…); empty: any. */
        categories: z.array(z.string().trim().min(1)).default([]),
        /** Service ids of services.yml; empty: any. */
        services: z.array(id).default([]),
        /** Languages the group answers in; empty: the desk's. */
        languages: z.array(lang).default([]),
      })
      .strict()
      .default({ categories: [], services: [], languages: [] }),
    assignment: z.enum(ASSIGNMENT_MODES).default('manual'),
    /** Conversations an agent of this group handles at once (automatic assignment respects it). */
    capacity: z.number().int().min(1).max(20).default(2),
  })
  .strict();

const deskSchema = z
  .object({
    id,
    name: z.string().trim().min(1),
    type: z.enum(DESK_TYPES),
    serves: z
      .object({
        /** Site ids (see `sites`); empty with no departments: serves everyone (a central or virtual desk). */
        sites: z.array(id).default([]),
        /** Departments as written on the contact record (cmdb.yml people). */
        departments: z.array(z.string().trim().min(1)).default([]),
      })
      .strict()
      .default({ sites: [], departments: [] }),
    languages: z.array(lang).min(1).default(['fr', 'en']),
    /**
     * Opening hours: one calendar id, or several for a desk that follows the sun (open when any is
     * open). Calendars of sla.yml or of this file's `calendars`.
     */
    hours: z.union([id, z.array(id).min(1)]).transform((v) => (Array.isArray(v) ? v : [v])),
    groups: z.array(groupSchema).default([]),
  })
  .strict();

export const desksFileSchema = z
  .object({
    /** The desk of whoever no other desk serves. */
    defaultDesk: id,
    /** Minutes an agent spends on a conversation while no recent one was measured (the wait formula's h). */
    defaultHandlingMinutes: z.number().int().min(1).max(240).default(10),
    /** Handling times the wait formula averages (the most recent ones). */
    handlingSamples: z.number().int().min(1).max(500).default(20),
    /** Calendars for desks' hours beside those of sla.yml. */
    calendars: z.array(calendarSchema).default([]),
    /** Where people work: a person is on the site that lists their e-mail, else the one that lists their department. */
    sites: z
      .array(
        z
          .object({
            id,
            name: z.string().trim().min(1),
            departments: z.array(z.string().trim().min(1)).default([]),
            people: z.array(email).default([]),
          })
          .strict(),
      )
      .default([]),
    desks: z.array(deskSchema).min(1),
  })
  .strict();

export type DesksFile = z.output<typeof desksFileSchema>;
export type DeskDefinition = DesksFile['desks'][number];
export type DeskGroup = DeskDefinition['groups'][number];
export type SiteDefinition = DesksFile['sites'][number];

const isoInstant = z.string().refine((v) => !Number.isNaN(Date.parse(v)) && /T/.test(v), 'must be an ISO date-time, e.g. 2026-12-06T18:00:00+01:00');

export const oncallFileSchema = z
  .object({
    /** Minutes to acknowledge a page before the next person is paged. */
    ackMinutes: z.number().int().min(1).max(240).default(10),
    /** What pages: these priorities, and tickets of these categories whatever their priority. */
    pageWhen: z
      .object({ priorities: z.array(z.number().int().min(1).max(5)).default([1]), categories: z.array(z.string().trim().min(1)).default(['security']) })
      .strict()
      .default({ priorities: [1], categories: ['security'] }),
    rotas: z
      .array(
        z
          .object({
            id,
            /** Desks this rota covers when they are closed; empty: every desk. */
            desks: z.array(id).default([]),
            /** When the first person's shift starts. */
            start: isoInstant,
            /** Length of one person's shift, hours (168: a week). */
            shiftHours: z.number().int().min(1).max(24 * 31).default(168),
            /** People in turn (e-mails); the next one is paged when nobody acknowledges. */
            people: z.array(email).min(1),
          })
          .strict(),
      )
      .default([]),
    /** Someone else on call for a while (a swap, a holiday). */
    overrides: z
      .array(z.object({ rota: id, from: isoInstant, to: isoInstant, person: email }).strict().refine((o) => Date.parse(o.to) > Date.parse(o.from), { message: 'ends before it starts', path: ['to'] }))
      .default([]),
  })
  .strict();

export type OncallFile = z.output<typeof oncallFileSchema>;
export type Rota = OncallFile['rotas'][number];

/** The validated organisation: desks with their calendars resolved. */
export interface DeskOrganisation {
  defaultDesk: string;
  defaultHandlingMinutes: number;
  handlingSamples: number;
  sites: SiteDefinition[];
  desks: DeskDefinition[];
  /** Every calendar a desk may name, by id. */
  calendars: Map<string, BusinessCalendar>;
  oncall: OncallFile;
}
