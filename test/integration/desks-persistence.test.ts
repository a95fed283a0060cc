/**
 * The live queue and the on-call pages are in the database: Guichet restarted at 22:15 on Sunday
 * keeps who waits, in which order and what each was told, and the page nobody acknowledged is
 * re-sent to the next person by the new process. SQLite by default, PostgreSQL with DATABASE_URL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TurnResult } from '../../src/core/handle-turn.ts';
import { renderPlainText } from '../../src/core/render-text.ts';
import { createGuichet, type Guichet } from '../../src/app/guichet.ts';
import { openDatabase } from '../../src/persistence/database.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { FakeClock } from '../helpers/fake-channel.ts';
import { RecordingNotifier } from '../helpers/recording-notifier.ts';

let testDb: TestDatabase;
let guichet: Guichet;
const clock = new FakeClock(new Date('2026-12-06T21:00:00Z')); // Sunday 22:00 in Paris
const notifier = new RecordingNotifier();
let sequence = 0;

const people = {
  alice: { externalId: 'U0ALICE', displayName: 'Alice Martin', email: 'alice.martin@example.org', locale: 'fr-FR' },
  emma: { externalId: 'U0EMMA', displayName: 'Emma Lefebvre', email: 'emma.lefebvre@example.org', locale: 'en-GB' },
  henri: { externalId: 'U0HENRI', displayName: 'Henri Blanc', email: 'henri.blanc@example.org', locale: 'fr-FR' },
  thomas: { externalId: 'U0THOMAS', displayName: 'Thomas Leroy', email: 'thomas.leroy@example.org', locale: 'fr-FR' },
  marc: { externalId: 'U0MARC', displayName: 'Marc Dubois', email: 'marc.dubois@example.org', locale: 'fr-FR' },
  bruno: { externalId: 'U0BRUNO', displayName: 'Bruno Petit', email: 'bruno.petit@example.org', locale: 'fr-FR' },
} as const;
type Who = keyof typeof people;

function say(who: Who, text: string): Promise<TurnResult> {
  const user = people[who];
  return guichet.turn({ channel: 'slack', tenantId: 'T0ACME', deliveryId: `Ev${++sequence}`, user, conversation: { externalId: `D-${user.externalId}`, kind: 'personal' }, text });
}
const plain = (r: TurnResult) => r.replies.map(renderPlainText).join('\n');
const idOf = async (who: Who) => (await testDb.db.client.user.findFirstOrThrow({ where: { email: people[who].email } })).id;
const latest = async () => (await testDb.db.client.ticket.findFirstOrThrow({ orderBy: { number: 'desc' } })).number;
const start = () =>
  createGuichet({
    databaseUrl: testDb.url,
    defaultLang: 'fr',
    configDir: 'config',
    clock,
    notifier,
    onError: (err, context) => {
      throw new Error(`${context}: ${String(err)}`);
    },
  });

beforeAll(async () => {
  testDb = await createTestDatabase();
  guichet = await start();
  for (const who of Object.keys(people) as Who[]) await say(who, 'bonjour');
}, 60_000);

afterAll(async () => {
  await guichet?.close();
  await testDb?.cleanup();
});

describe('a restart on Sunday night', () => {
  const waiting: number[] = [];
  let p1: number;

  it('before: two users wait at the Paris desk, and a P1 paged the on-call person', async () => {
    for (const who of ['alice', 'emma'] as const) {
      await say(who, 'open a ticket: Teams crashes when I share my screen');
      waiting.push(await latest());
      await guichet.handoff!.escalate(waiting.at(-1)!, { live: true });
    }
    const { ticket } = await guichet.desk!.create({
      type: 'incident', title: 'Serveur de paie arrêté', description: 'Plus personne ne peut saisir la paie', category: 'incident', serviceId: 'business-apps',
      impact: 1, urgency: 1, requesterId: await idOf('henri'), createdBy: { id: null, kind: 'bot' }, origin: 'test:p1-restart',
    });
    p1 = ticket.number;
    expect(notifier.textsFor(await idOf('thomas')).at(-1)).toContain(`ticket #${p1} P1`);
    expect(await testDb.db.client.deskQueueEntry.count()).toBe(2);
    // The handle of the message telling Emma her position (edited in place at the next change) is kept too.
    const emmas = (await guichet.desks!.queueStore.get(waiting[1]!))!;
    await guichet.desks!.queueStore.update({ ...emmas, messageRef: { slack: { channel: 'D0EMMA', ts: '1765054800.000100' } } });
    expect(await testDb.db.client.oncallPage.findUniqueOrThrow({ where: { key: `page:#${p1}` } })).toMatchObject({ attempt: 0, closed: false, acknowledgedBy: null });
  });

  it('after: the new process has the same queue, positions and told positions, and re-pages the next person', async () => {
    await guichet.close();
    await testDb.db.close();
    clock.advance(15 * 60_000);
    guichet = await start();
    testDb.db = await openDatabase(testDb.url);
    const lines = (await guichet.desks!.desks.queue.lines()).get('paris')!;
    expect(lines.map((l) => [l.number, l.position, l.userName, l.toldPosition])).toEqual([
      [waiting[0], 1, 'Alice Martin', 1],
      [waiting[1], 2, 'Emma Lefebvre', 2],
    ]);
    expect(lines[0]!.waitedMinutes).toBe(15);
    expect((await guichet.desks!.queueStore.get(waiting[1]!))!.messageRef).toEqual({ slack: { channel: 'D0EMMA', ts: '1765054800.000100' } });
    expect(await guichet.desks!.pager.tick()).toBe(1);
    expect(notifier.textsFor(await idOf('marc')).at(-1)).toContain(`ticket #${p1}`);
    expect(plain(await say('marc', `ack ${p1}`))).toContain(`Alerte du ticket #${p1} acquittée`);
    clock.advance(60 * 60_000);
    expect(await guichet.desks!.pager.tick()).toBe(0);
  });

  it('after: taking the first moves the second up, told once; the wait is recorded as taken', async () => {
    notifier.clear();
    expect(plain(await say('bruno', `take #${waiting[0]}`))).toContain(`Vous avez pris le ticket #${waiting[0]}`);
    expect(notifier.textsFor(await idOf('emma'))).toEqual([expect.stringMatching(new RegExp(`^Ticket #${waiting[1]}: you are now number 1 in the queue`))]);
    expect(await testDb.db.client.deskQueueEntry.findUniqueOrThrow({ where: { ticketNumber: waiting[1]! } })).toMatchObject({ toldPosition: 1 });
    expect((await guichet.desks!.queueStore.history(new Date(0))).map((h) => [h.number, h.outcome])).toEqual([[waiting[0], 'taken']]);
    expect(await testDb.db.client.deskHandling.count({ where: { ticketNumber: waiting[0]!, endedAt: null } })).toBe(1);
  });
});
