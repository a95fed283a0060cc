/** The outbox worker on the in-memory store and the fake GLPI: backoff, order per ticket, dead letters. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GlpiClient } from '../../../src/connectors/glpi/client.ts';
import type { GlpiContext } from '../../../src/connectors/glpi/context.ts';
import { loadMapping } from '../../../src/connectors/glpi/mapping.ts';
import { MemoryGlpiStore } from '../../../src/connectors/glpi/memory-store.ts';
import { drain } from '../../../src/connectors/glpi/outbox.ts';
import type { AgentDesk } from '../../../src/core/tickets.ts';
import { FakeClock } from '../../helpers/fake-channel.ts';
import { FakeGlpi } from '../../helpers/fake-glpi.ts';
import { RecordingNotifier } from '../../helpers/recording-notifier.ts';

const glpi = new FakeGlpi();
const clock = new FakeClock(new Date('2026-12-07T09:00:00Z'));
const store = new MemoryGlpiStore();
const notifier = new RecordingNotifier();
const errors: string[] = [];
let ctx: GlpiContext;

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
});
afterAll(() => glpi.stop());

describe('the GLPI outbox worker', () => {
  it('retries with exponential backoff, keeps later items of the ticket behind, then gives up and tells admins', async () => {
    const ticket = glpi.seed('Ticket', { name: 'x', status: 1 });
    await store.ensureLink(1001, '[guichet:aaaaaaaaaaaa]');
    await store.setLink(1001, { glpiId: ticket.id });
    await store.enqueue({ key: 'info:1001:0', ticketNumber: 1001, kind: 'followup', payload: { text: 'first' } }, clock.now());
    await store.enqueue({ key: 'info:1001:1', ticketNumber: 1001, kind: 'followup', payload: { text: 'second' } }, clock.now());
    glpi.down = true;
    expect(await drain(ctx)).toEqual([]);
    expect(store.outbox.map((o) => [o.attempts, o.nextAttemptAt.toISOString()])).toEqual([
      [1, '2026-12-07T09:00:01.000Z'],
      [0, '2026-12-07T09:00:00.000Z'], // not tried: the first one of its ticket failed
    ]);
    await drain(ctx); // not due yet
    expect(store.outbox[0]!.attempts).toBe(1);
    clock.advance(1_000);
    await drain(ctx);
    expect(store.outbox[0]).toMatchObject({ attempts: 2, nextAttemptAt: new Date('2026-12-07T09:00:03.000Z') });
    clock.advance(2_000);
    await drain(ctx);
    expect(store.outbox[0]).toMatchObject({ status: 'dead', attempts: 3, lastError: expect.stringContaining('did not answer') });
    expect(notifier.textsFor('admin-1').join('\n')).toMatch(/GLPI: sending "followup" for ticket #1001 failed after 3 attempt\(s\)/);
    // Given up on the first, the second goes; an admin's retry sends the first again.
    glpi.down = false;
    expect((await drain(ctx)).map((d) => d.key)).toEqual(['info:1001:1']);
    await store.revive(store.outbox[0]!.id, clock.now());
    expect((await drain(ctx)).map((d) => d.key)).toEqual(['info:1001:0']);
    expect(glpi.all('ITILFollowup').map((f) => f.content)).toEqual(['<p>second</p>', '<p>first</p>']);
  });

  it('delivers an item once when two workers drain at the same time (a claim with a lease)', async () => {
    const ticket = glpi.seed('Ticket', { name: 'y', status: 1 });
    await store.ensureLink(1003, '[guichet:cccccccccccc]');
    await store.setLink(1003, { glpiId: ticket.id });
    await store.enqueue({ key: 'info:1003:0', ticketNumber: 1003, kind: 'followup', payload: { text: 'once' } }, clock.now());
    const [a, b] = await Promise.all([drain(ctx), drain(ctx)]);
    expect([...a, ...b].map((d) => d.key)).toEqual(['info:1003:0']);
    expect(glpi.all('ITILFollowup').filter((f) => f.items_id === ticket.id)).toHaveLength(1);
  });

  it('waits for the ticket to reach GLPI before its follow-ups', async () => {
    await store.ensureLink(1002, '[guichet:bbbbbbbbbbbb]');
    await store.enqueue({ key: 'info:1002:0', ticketNumber: 1002, kind: 'followup', payload: { text: 'early' } }, clock.now());
    expect(await drain(ctx)).toEqual([]);
    expect(store.outbox.at(-1)).toMatchObject({ status: 'pending', attempts: 0 });
  });
});
