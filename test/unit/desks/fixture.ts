/** A small organisation for the desks' tests: three sites with local desks, a central desk, a rota. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadDesks } from '../../../src/desks/load.ts';
import type { DeskOrganisation } from '../../../src/desks/schema.ts';
import { parseCalendar, type BusinessCalendar } from '../../../src/ticketing/calendar.ts';

const weekdays = (from: string, to: string) => Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, [[from, to]]]));

export const calendars: BusinessCalendar[] = [
  parseCalendar({ id: 'paris', name: 'Paris', timeZone: 'Europe/Paris', hours: weekdays('08:00', '19:00'), holidays: ['2026-12-25'] }),
  parseCalendar({ id: 'always', name: '24/7', timeZone: 'UTC', hours: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, [['00:00', '24:00']]])) }),
];

export const groupIds = ['service-desk', 'network', 'workplace', 'infrastructure'];

export const DESKS_YML = `
defaultDesk: central
defaultHandlingMinutes: 12
calendars:
  - id: montreal
    name: Montréal
    timeZone: America/Toronto
    hours: { mon: [["09:00", "17:00"]], tue: [["09:00", "17:00"]], wed: [["09:00", "17:00"]], thu: [["09:00", "17:00"]], fri: [["09:00", "17:00"]] }
sites:
  - { id: paris, name: Paris, departments: [Finance] }
  - { id: lyon, name: Lyon, departments: [Logistics] }
  - { id: lille, name: Lille, departments: [Sales], people: [zoe@example.org] }
desks:
  - { id: paris, name: Paris desk, type: local, serves: { sites: [paris] }, hours: paris, groups: [{ id: service-desk }] }
  - { id: lyon, name: Lyon desk, type: local, serves: { sites: [lyon] }, languages: [fr], hours: paris, groups: [{ id: workplace }] }
  - { id: lille, name: Lille desk, type: local, serves: { sites: [lille] }, hours: paris, groups: [{ id: service-desk }] }
  - id: central
    name: Central desk
    type: central
    hours: paris
    groups:
      - { id: service-desk }
      - { id: network, skills: { services: [vpn] } }
      - { id: infrastructure, skills: { categories: [security] } }
  - { id: sun, name: Follow the sun, type: virtual, hours: [paris, montreal], groups: [{ id: service-desk }] }
  - { id: self, name: Self-service, type: self-service, hours: always }
`;

export const ONCALL_YML = `
ackMinutes: 10
rotas:
  - id: infra
    start: "2026-11-30T09:00:00+01:00"
    shiftHours: 168
    people: [marc@example.org, nadia@example.org, thomas@example.org]
overrides:
  - { rota: infra, from: "2026-12-24T18:00:00+01:00", to: "2026-12-28T09:00:00+01:00", person: olivier@example.org }
`;

/** Writes the files to a fresh folder and loads them. */
export function organisation(desks = DESKS_YML, oncall: string | null = ONCALL_YML): { org: DeskOrganisation; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'guichet-desks-'));
  writeFileSync(join(dir, 'desks.yml'), desks);
  if (oncall !== null) writeFileSync(join(dir, 'oncall.yml'), oncall);
  return { org: loadDesks(dir, { groupIds, calendars, serviceIds: ['vpn', 'email'] }), dir };
}
