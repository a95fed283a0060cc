/** GLPI's deliveries on the job queue (in-process runner, in-memory stores, the fake GLPI): backoff, order per ticket, dead letters. */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { GlpiClient } from '../../../src/connectors/glpi/client.ts';
import { GlpiConnector } from '../../../src/connectors/glpi/connector.ts';
import type { GlpiContext } from '../../../src/connectors/glpi/context.ts';
import { loadMapping } from '../../../src/connectors/glpi/mapping.ts';
import { MemoryGlpiStore } from '../../../src/connectors/glpi/memory-store.ts';
import { deliveryJob, handleDeliveries } from '../../../src/connectors/glpi/outbox.ts';
import type { OutboxItem } from '../../../src/connectors/glpi/ports.ts';
import type { AgentDesk } from '../../../src/core/tickets.ts';
import { MemoryJobStore } from '../../../src/jobs/memory-store.ts';
import { createJobRunner, type JobRunner } from '../../../src/jobs/runner.ts';
import { FakeClock } from '../../helpers/fake-channel.ts';
import { FakeGlpi } from '../../helpers/fake-glpi.ts';
import { RecordingNotifier } from '../../helpers/recording-notifier.ts';

const glpi = new FakeGlpi();
const clock = new FakeClock(new Date('2026-12-07T09:00:00Z'));
const store = new MemoryGlpiStore();
const jobStore = new MemoryJobStore();
const notifier = new RecordingNotifier();
const errors: string[] = [];
const delivered: string[] = [];
let ctx: GlpiContext;

/** One instance: the job runner with GLPI's deliveries. */
function instance(owner: string): JobRunner {
  const jobs = createJobRunner({ store: jobStore, owner, now: () => clock.now(), graceMs: 0 });
  handleDeliveries(ctx, jobs, async (item: OutboxItem) => void delivered.push(item.key));
  return jobs;
}
let jobs: JobRunner;

/** Queues an item and its delivery job, as the unit of work does. */
async function queue(ticketNumber: number, key: string, text: string): Promise<void> {
  await store.enqueue({ key, ticketNumber, kind: 'followup', payload: { text } }, clock.now());
  await jobStore.enqueue([deliveryJob(key)], clock.now());
}
const job = (key: string) => jobStore.rows.find((r) => r.key === deliveryJob(key).key)!;
const runs = async (runner: JobRunner) => {
  delivered.length = 0;
  await runner.drain();
  return [...delivered];
};

beforeAll(async () => {
  await glpi.start();
  ctx = {
    client: new GlpiClient({ url: glpi.url, appToken: 'app-token-1', userToken: 'user-token-1', timeoutMs: 500 }),
    store,
    mapping: loadMapping('config/glpi-mapping.yml'),
    desk: {} as AgentDesk, // followups need no desk
    events: async () => [],
    notifier,
    clock,
    agent: { id: 'glpi', role: 'agent' },
    defaultLang: 'en',
    admins: async () => ['admin-1'],
    retry: { baseMs: 1_000, maxMs: 10_000, maxAttempts: 3 },
    onError: (err, context) => errors.push(`${context}: ${String(err)}`),
  };
  jobs = instance('a');
});
afterAll(() => glpi.stop());

describe("GLPI's deliveries on the job queue", () => {
  it('retries with exponential backoff, keeps later items of the ticket behind without counting attempts, then gives up and tells admins', async () => {
    const ticket = glpi.seed('Ticket', { name: 'x', status: 1 });
    await store.ensureLink(1001, '[guichet:aaaaaaaaaaaa]');
    await store.setLink(1001, { glpiId: ticket.id });
    await queue(1001, 'info:1001:0', 'first');
    await queue(1001, 'info:1001:1', 'second');
    glpi.down = true;
    expect(await runs(jobs)).toEqual([]);
    expect([job('info:1001:0'), job('info:1001:1')].map((j) => [j.status, j.attempts, j.runAt.toISOString()])).toEqual([
      ['pending', 1, '2026-12-07T09:00:01.000Z'],
      ['pending', 0, '2026-12-07T09:00:10.000Z'], // waits behind the first one of its ticket: no attempt
    ]);
    expect(store.outbox.map((o) => o.attempts)).toEqual([1, 0]);
    await runs(jobs); // not due yet
    expect(job('info:1001:0').attempts).toBe(1);
    clock.advance(1_000);
    await runs(jobs);
    expect(job('info:1001:0')).toMatchObject({ attempts: 2, runAt: new Date('2026-12-07T09:00:03.000Z') });
    clock.advance(2_000);
    // The third attempt fails too: the first is given up, and the second runs at once.
    await runs(jobs);
    expect(store.outbox[0]).toMatchObject({ status: 'dead', attempts: 3, lastError: expect.stringContaining('did not answer') });
    expect(job('info:1001:0')).toMatchObject({ status: 'dead', attempts: 3 });
    expect(notifier.textsFor('admin-1').join('\n')).toMatch(/GLPI: sending "followup" for ticket #1001 failed after 3 attempt\(s\)/);
    expect(job('info:1001:1')).toMatchObject({ status: 'pending', attempts: 1 }); // run at once, GLPI still down
    glpi.down = false;
    clock.advance(1_000);
    expect(await runs(jobs)).toEqual(['info:1001:1']);
    // An admin's retry of the dead job (`npm run jobs -- retry`): its item goes with it.
    await jobs.revive(job('info:1001:0').id);
    expect(await runs(jobs)).toEqual(['info:1001:0']);
    expect(glpi.all('ITILFollowup').map((f) => f.content)).toEqual(['<p>second</p>', '<p>first</p>']);
  });

  it('gives up at once on a call GLPI refuses, with GLPI’s words', async () => {
    const ticket = glpi.seed('Ticket', { name: 'z', status: 1 });
    await store.ensureLink(1004, '[guichet:dddddddddddd]');
    await store.setLink(1004, { glpiId: ticket.id });
    await queue(1004, 'info:1004:0', 'refused');
    glpi.refuse('POST ITILFollowup', 403, 'ERROR_RIGHT_MISSING', "You don't have permission to perform this action.");
    await runs(jobs);
    glpi.clearRefusals();
    expect(store.outbox.at(-1)).toMatchObject({ status: 'dead', attempts: 1, lastError: expect.stringContaining('ERROR_RIGHT_MISSING') });
    expect(job('info:1004:0')).toMatchObject({ status: 'dead', attempts: 1 });
    expect(notifier.textsFor('admin-1').join('\n')).toMatch(/ticket #1004 failed after 1 attempt\(s\): .*ERROR_RIGHT_MISSING/);
  });

  it('delivers an item once when two instances run the queue at the same time (the job is claimed once)', async () => {
    const ticket = glpi.seed('Ticket', { name: 'y', status: 1 });
    await store.ensureLink(1003, '[guichet:cccccccccccc]');
    await store.setLink(1003, { glpiId: ticket.id });
    await queue(1003, 'info:1003:0', 'once');
    const other = createJobRunner({ store: jobStore, owner: 'b', now: () => clock.now(), graceMs: 0 });
    handleDeliveries(ctx, other, async () => {});
    await Promise.all([jobs.drain(), other.drain()]);
    expect(job('info:1003:0')).toMatchObject({ status: 'done' });
    expect(glpi.all('ITILFollowup').filter((f) => f.items_id === ticket.id)).toHaveLength(1);
  });

  it('waits for the ticket to reach GLPI before its follow-ups, without counting attempts', async () => {
    await store.ensureLink(1002, '[guichet:bbbbbbbbbbbb]');
    await queue(1002, 'info:1002:0', 'early');
    expect(await runs(jobs)).toEqual([]);
    expect(store.outbox.at(-1)).toMatchObject({ status: 'pending', attempts: 0 });
    expect(job('info:1002:0')).toMatchObject({ status: 'pending', attempts: 0, runAt: new Date(clock.now().getTime() + 10_000) });
  });

  it('the connector gives a job to each pending item that has none (queued before deliveries were jobs), once, and polls GLPI as scheduled work', async () => {
    const ticket = glpi.seed('Ticket', { name: 'w', status: 1 });
    await store.ensureLink(1005, '[guichet:eeeeeeeeeeee]');
    await store.setLink(1005, { glpiId: ticket.id });
    await store.enqueue({ key: 'info:1005:0', ticketNumber: 1005, kind: 'followup', payload: { text: 'from before' } }, clock.now());
    const queue = createJobRunner({ store: new MemoryJobStore(), owner: 'c', now: () => clock.now(), graceMs: 0, pollMs: 50 });
    const connector = new GlpiConnector(ctx, queue, { pollIntervalMs: 60_000 });
    // Every pending item without a job gets one (the one waiting since the first test included); a second start writes none.
    expect(await connector.adoptPending()).toBe((await store.pending(100)).length);
    expect(await connector.adoptPending()).toBe(0);
    await queue.drain();
    expect(store.outbox.find((o) => o.key === 'info:1005:0')).toMatchObject({ status: 'done' });
    expect(glpi.all('ITILFollowup').filter((f) => f.items_id === ticket.id).map((f) => f.content)).toEqual(['<p>from before</p>']);
    // The poll: one job per period, run by the queue.
    const searches = () => glpi.requests.filter((r) => r.method === 'GET' && r.path === 'search/Ticket').length;
    const before = searches();
    queue.start();
    await vi.waitFor(() => expect(searches()).toBe(before + 1), { timeout: 5_000, interval: 50 });
    await queue.stop();
    await connector.idle();
  });
});
