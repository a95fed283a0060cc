/**
 * Major incidents benchmark (in memory, no database): who a declaration reaches in a synthetic CMDB
 * of 1,000 / 10,000 / 50,000 people (three devices each, 40 shared applications, two sites,
 * dependencies), and a burst of notices through the digest (one person, 200 events in a minute).
 *
 *   npm run bench:incidents -- [--sizes 1000,10000,50000]
 */
import './quiet-env.ts';
import { parseArgs } from 'node:util';
import type { CmdbFile } from '../src/ticketing/config.ts';
import { affectedBy } from '../src/ticketing/incident-scope.ts';
import { Notices } from '../src/ticketing/notices.ts';

const { values } = parseArgs({ options: { sizes: { type: 'string', default: '1000,10000,50000' } } });
const sizes = values.sizes.split(',').map(Number);

function cmdb(people: number): CmdbFile {
  const departments = ['Finance', 'Sales', 'HR', 'Logistics', 'Engineering', 'Marketing'];
  const apps = Array.from({ length: 40 }, (_, i) => ({
    tag: `APP-${i}`, kind: 'application', name: `App ${i}`, status: 'in-use' as const, services: [i % 2 ? 'business-apps' : 'collaboration'],
    departments: [departments[i % departments.length]!], dependsOn: i > 0 && i % 5 === 0 ? ['NET-AAD'] : [],
  }));
  const items: CmdbFile['items'] = [{ tag: 'NET-AAD', kind: 'application', name: 'SSO', status: 'in-use', services: ['identity'], departments: [], dependsOn: [] }, ...apps];
  const persons: CmdbFile['people'] = [];
  for (let p = 0; p < people; p += 1) {
    const email = `p${p}@example.org`;
    persons.push({ email, name: `P ${p}`, department: departments[p % departments.length], vip: false, site: p % 3 ? 'Paris' : 'Lyon', subscriptions: p % 50 === 0 ? ['business-apps'] : [] });
    items.push({ tag: `LT-${p}`, kind: 'laptop', name: 'Laptop', owner: email, status: 'in-use', services: ['workstation', p % 4 ? 'vpn' : 'network'], departments: [], dependsOn: [] });
    items.push({ tag: `PH-${p}`, kind: 'phone', name: 'Phone', owner: email, status: 'in-use', services: ['telephony', 'identity'], departments: [], dependsOn: [] });
    items.push({ tag: `DK-${p}`, kind: 'dock', name: 'Dock', owner: email, status: 'in-use', services: ['workstation'], departments: [], dependsOn: [] });
  }
  return { people: persons, items, dependencies: [{ service: 'business-apps', dependsOn: ['identity'] }] };
}

const time = <T>(work: () => T): [T, number] => {
  const start = performance.now();
  const out = work();
  return [out, performance.now() - start];
};

console.log('who is affected (affectedBy), median of 5 runs');
console.log('people  items    scope                   reached  ms');
for (const size of sizes) {
  const data = cmdb(size);
  for (const [name, scope] of [
    ['vpn', { services: ['vpn'], items: [], sites: [] }],
    ['vpn, Lyon only', { services: ['vpn'], items: [], sites: ['Lyon'] }],
    ['one application', { services: ['business-apps'], items: ['APP-1'], sites: [] }],
    ['identity (cascades)', { services: ['identity'], items: [], sites: [] }],
  ] as const) {
    const runs = Array.from({ length: 5 }, () => time(() => affectedBy(data, { services: [...scope.services], items: [...scope.items], sites: [...scope.sites] })));
    const ms = runs.map((r) => r[1]).sort((a, b) => a - b)[2]!;
    console.log(`${String(size).padEnd(7)} ${String(data.items.length).padEnd(8)} ${name.padEnd(23)} ${String(runs[0]![0].people.length).padEnd(8)} ${ms.toFixed(1)}`);
  }
}

let now = Date.parse('2026-11-23T09:00:00Z');
let sent = 0;
const notices = new Notices({ clock: { now: () => new Date(now) }, send: async () => void (sent += 1), digestSeconds: 120, timeZone: () => 'Europe/Paris' });
const [, burstMs] = time(() => undefined);
const start = performance.now();
for (let i = 0; i < 200; i += 1) {
  await notices.post('alice', { urgent: i % 10 === 0, build: () => ({ text: `event ${i}` }) });
  now += 300;
}
now += 120_000;
await notices.flushDue();
console.log(`\nnotices: 200 events to one person within ${(200 * 0.3).toFixed(0)} s → ${sent} messages sent (digest window 120 s), ${(performance.now() - start + burstMs).toFixed(1)} ms`);
