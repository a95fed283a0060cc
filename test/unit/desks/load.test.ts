import { describe, expect, it } from 'vitest';
import { GuichetError } from '../../../src/core/errors.ts';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadDesks, watchDesks } from '../../../src/desks/load.ts';
import { loadDeskConfig } from '../../../src/ticketing/config.ts';
import { calendars, DESKS_YML, groupIds, organisation } from './fixture.ts';

function refusal(run: () => unknown): GuichetError {
  try {
    run();
  } catch (err) {
    if (err instanceof GuichetError) return err;
    throw err;
  }
  throw new Error('expected a GuichetError');
}

describe('desks.yml and oncall.yml', () => {
  it('loads the shipped configuration against the ticketing configuration', () => {
    const config = loadDeskConfig('config');
    const org = loadDesks('config', { groupIds: config.groups.map((g) => g.id), calendars: config.calendars, serviceIds: config.services.map((s) => s.id) });
    expect(org.desks.map((d) => d.type)).toEqual(['local', 'local', 'virtual', 'central', 'self-service']);
    expect(org.defaultDesk).toBe('central');
    expect(org.oncall.rotas[0]!.people[0]).toBe('marc.dubois@example.org');
  });

  it('loads desks, sites and the rota; hours as a list', () => {
    const { org } = organisation();
    expect(org.desks.find((d) => d.id === 'sun')!.hours).toEqual(['paris', 'montreal']);
    expect(org.desks.find((d) => d.id === 'paris')!.hours).toEqual(['paris']);
    expect(org.calendars.has('montreal')).toBe(true);
    expect(org.oncall.ackMinutes).toBe(10);
  });

  it('refuses a bad type, naming the file, the desk and the field', () => {
    const err = refusal(() => organisation(DESKS_YML.replace('type: local, serves: { sites: [lyon] }', 'type: regional, serves: { sites: [lyon] }')));
    expect(err.code).toBe('config.invalid');
    expect(err.message).toMatch(/desks\.yml: entry "lyon", field "desks\.1\.type": /);
  });

  it('refuses an unknown group, calendar, site or default desk, naming each', () => {
    const bad = DESKS_YML.replace('groups: [{ id: workplace }]', 'groups: [{ id: facilities }]')
      .replace('hours: [paris, montreal]', 'hours: [paris, tokyo]')
      .replace('serves: { sites: [lille] }', 'serves: { sites: [roubaix] }')
      .replace('defaultDesk: central', 'defaultDesk: head-office');
    const err = refusal(() => organisation(bad));
    expect(err.code).toBe('config.invalid');
    expect(err.message).toContain('desk "lyon", field "groups.0.id": unknown group "facilities"');
    expect(err.message).toContain('desk "sun", field "hours": unknown calendar "tokyo"');
    expect(err.message).toContain('desk "lille", field "serves.sites": unknown site "roubaix"');
    expect(err.message).toContain('field "defaultDesk": unknown desk "head-office"');
  });

  it('refuses a broken oncall.yml, naming the file and field', () => {
    const err = refusal(() => organisation(DESKS_YML, 'rotas: [{ id: infra, start: "tomorrow", people: [marc@example.org] }]'));
    expect(err.code).toBe('config.invalid');
    expect(err.message).toMatch(/oncall\.yml: entry "infra", field "rotas\.0\.start": must be an ISO date-time/);
  });

  it('needs no oncall.yml', () => {
    expect(organisation(DESKS_YML, null).org.oncall.rotas).toEqual([]);
  });
});

describe('changes without a restart', () => {
  it('tells when desks.yml changes, so the organisation is reloaded', async () => {
    const { dir } = organisation();
    let calls = 0;
    const stop = watchDesks(dir, async () => void (calls += 1), (err) => {
      throw err;
    }, 20);
    try {
      writeFileSync(join(dir, 'desks.yml'), DESKS_YML.replace('defaultHandlingMinutes: 12', 'defaultHandlingMinutes: 15'));
      for (let i = 0; i < 100 && calls === 0; i += 1) await new Promise((r) => setTimeout(r, 20));
      expect(calls).toBeGreaterThan(0);
      expect(loadDesks(dir, { groupIds, calendars }).defaultHandlingMinutes).toBe(15);
    } finally {
      stop();
    }
  });
});
