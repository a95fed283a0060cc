import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadDeskConfig, policyFor } from '../../../src/ticketing/config.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A copy of the shipped config folder with one file edited. */
function edited(file: string, edit: (text: string) => string): string {
  const dir = mkdtempSync(join(tmpdir(), 'guichet-config-'));
  dirs.push(dir);
  cpSync('config', dir, { recursive: true });
  writeFileSync(join(dir, file), edit(readFileSync(join(dir, file), 'utf8')));
  return dir;
}

describe('desk configuration files', () => {
  it('loads the shipped files', () => {
    const config = loadDeskConfig('config');
    expect(config.groups.map((g) => [g.id, g.level, g.escalatesTo ?? null])).toEqual([
      ['service-desk', 1, 'workplace'],
      ['network', 2, 'infrastructure'],
      ['workplace', 2, 'infrastructure'],
      ['applications', 2, 'infrastructure'],
      ['infrastructure', 3, null],
    ]);
    expect(config.calendars.map((c) => c.id)).toEqual(['paris', 'always']);
    expect(config.policies.map((p) => p.id)).toEqual(['standard', 'vip', 'critical-24x7']);
    expect(config.cmdb.items).toHaveLength(36);
    expect(config.autoCloseBusinessDays).toBe(3);
  });

  it('picks the SLA policy by rule: VIP first, then P1 on a critical service, else standard', () => {
    const config = loadDeskConfig('config');
    expect(policyFor(config, { vip: true, priority: 4, criticality: 'low' }).id).toBe('vip');
    expect(policyFor(config, { vip: false, priority: 1, criticality: 'high' }).id).toBe('critical-24x7');
    expect(policyFor(config, { vip: false, priority: 1, criticality: 'low' }).id).toBe('standard');
    expect(policyFor(config, { vip: false, priority: 3, criticality: 'high' }).id).toBe('standard');
  });

  it.each([
    ['groups.yml', (t: string) => t.replace('escalatesTo: workplace', 'escalatesTo: helpdesk'), /groups\.yml: group "service-desk", field "escalatesTo": unknown group "helpdesk"/],
    ['groups.yml', (t: string) => t.replace('- { email: bruno.petit@example.org', '- { email: bruno.petit-at-example.org'), /groups\.yml: entry "service-desk", field "groups\.0\.members\.0\.email": Invalid email/],
    ['groups.yml', (t: string) => t.replace('level: 2\n    manager: olivier.garnier@example.org\n    escalatesTo: infrastructure', 'level: 2\n    manager: olivier.garnier@example.org\n    escalatesTo: service-desk'), /groups\.yml: group "network", field "escalatesTo": group "service-desk" is level 1, not above level 2/],
    ['groups.yml', (t: string) => t.replace('name: Infrastructure and security (N3)\n    level: 3', 'name: Infrastructure and security (N3)\n    level: 2'), /group "network", field "escalatesTo": group "infrastructure" is level 2, not above level 2/],
    ['groups.yml', (t: string) => t.replace('- { email: sarah.haddad@example.org, name: Sarah Haddad }', '- { email: bruno.petit@example.org, name: Bruno P. }'), /groups\.yml: duplicate member of group "service-desk" "bruno\.petit@example\.org"/],
    ['groups.yml', (t: string) => t.replace('level: 1', 'level: 4'), /groups\.yml: entry "service-desk", field "groups\.0\.level"/],
    ['groups.yml', (t: string) => t.replace('    manager: claire.fontaine@example.org\n', '    manger: claire.fontaine@example.org\n'), /groups\.yml: entry "service-desk", field "groups\.0": Unrecognized key\(s\) in object: 'manger'/],
    ['sla.yml', (t: string) => t.replace('calendar: paris\n    pauseOnPending: true\n    targets:\n      "1": { responseMinutes: 15', 'calendar: lyon\n    pauseOnPending: true\n    targets:\n      "1": { responseMinutes: 15'), /sla\.yml: policy "standard", field "calendar": unknown calendar "lyon"/],
    ['sla.yml', (t: string) => t.replace('timeZone: Europe/Paris', 'timeZone: Europe/Lutece'), /sla\.yml: entry "paris", field "calendars\.0\.timeZone": is not an IANA time zone/],
    ['sla.yml', (t: string) => t.replace('"5": { responseMinutes: 480, resolutionMinutes: 5400 }', ''), /sla\.yml: entry "standard", field "policies\.0\.targets": needs targets for priorities 1 to 5/],
    ['sla.yml', (t: string) => t.replace('thu: [["08:30", "12:30"], ["13:30", "18:00"]]', 'thur: [["08:30", "12:30"], ["13:30", "18:00"]]'), /sla\.yml: entry "paris", field "calendars\.0\.hours": Unrecognized key\(s\) in object: 'thur'/],
    ['sla.yml', (t: string) => t.replace('mon: [["08:30", "12:30"], ["13:30", "18:00"]]', 'mon: [["08:30", "12:30"], ["12:00", "18:00"]]'), /sla\.yml: entry "paris", field "calendars\.0\.hours\.mon\.1": interval 12:00–18:00 overlaps the previous one/],
    ['sla.yml', (t: string) => t.replace('"2026-05-08"', '"2026-05-32"'), /sla\.yml: entry "paris", field "calendars\.0\.holidays\.3": is not a calendar date/],
    ['sla.yml', (t: string) => t.replace('"1": { responseMinutes: 15, resolutionMinutes: 240 }', '"1": { responseMinutes: 15, resolutionMinutes: -240 }'), /sla\.yml: entry "standard", field "policies\.0\.targets\.1\.resolutionMinutes": Number must be greater than 0/],
    ['sla.yml', (t: string) => t.replace('  - { policy: standard }\n', '  - { policy: standard }\n  - { when: { vip: false }, policy: standard }\n'), /sla\.yml: the last rule must have no "when"/],
    ['sla.yml', (t: string) => t.replace('"1": { "1": 1, "2": 2, "3": 3 }', '"1": { "1": 0, "2": 2, "3": 3 }'), /sla\.yml: field "matrix\.1\.1"/],
    ['sla.yml', (t: string) => t.replace('- id: always', '- id: paris'), /sla\.yml: duplicate calendar id "paris"/],
    ['cmdb.yml', (t: string) => t.replace('services: [workstation, vpn, network]', 'services: [workstation, coffee]'), /cmdb\.yml: item "LT-\d+", field "services": unknown service "coffee"/],
    ['cmdb.yml', (t: string) => t.replace(/tag: DK-(\d+)/, 'tag: LT-004223'), /cmdb\.yml: duplicate item tag "LT-004223"/],
    ['cmdb.yml', (t: string) => t.replace('tag: PH-004225, kind: phone, name: iPhone 14, owner: alice.martin@example.org, status: in-use', 'tag: PH-004225, kind: phone, name: iPhone 14, owner: alice.martin@example.org, status: broken'), /cmdb\.yml: entry "PH-004225", field "items\.2\.status"/],
    ['services.yml', (t: string) => t.replace('group: network', 'group: noc'), /services\.yml: service "vpn", field "group": unknown group "noc"/],
  ])('reports a broken %s with the file, entry and field', (file, edit, message) => {
    expect(() => loadDeskConfig(edited(file, edit))).toThrow(message);
  });
});
