/**
 * "add to #N: …" reaches the ticket whatever its words, through the whole core (intent classifier,
 * knowledge base, guides): a text with « comment » ("how" in French, the help intent's word) or
 * phrased "add a comment to #N" / « ajouter un commentaire au N » used to be answered by help or the
 * knowledge base and lost.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGuichet, type Guichet } from '../../src/app/guichet.ts';
import { renderPlainText } from '../../src/core/render-text.ts';
import { say } from '../../src/texts/index.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { FakeClock } from '../helpers/fake-channel.ts';

let testDb: TestDatabase;
let guichet: Guichet;
let sequence = 0;
let number: number;

const send = (text: string) =>
  guichet.turn({ channel: 'web', deliveryId: `add-${++sequence}`, user: { externalId: 'u-alice', displayName: 'Alice Martin', email: 'alice.martin@example.org' }, conversation: { externalId: 'c-alice', kind: 'personal' }, text });

beforeAll(async () => {
  testDb = await createTestDatabase();
  guichet = await createGuichet({ databaseUrl: testDb.url, defaultLang: 'fr', configDir: 'config', knowledgeDir: 'knowledge', dialogsDir: 'dialogs', clock: new FakeClock(new Date('2026-11-23T09:00:00Z')) });
  await send('open a ticket: the printer on floor 2 jams');
  number = (await testDb.db.client.ticket.findFirstOrThrow({ where: { requester: { email: 'alice.martin@example.org' } } })).number;
}, 120_000);

afterAll(async () => {
  await guichet?.close();
  await testDb?.cleanup();
});

describe('adding to a ticket', () => {
  const cases: [string, (n: number) => string, string][] = [
    ['« comment » in French', (n) => `add to #${n}: comment ça marche pour le bac 2 ?`, 'comment ça marche pour le bac 2 ?'],
    ['the bare word', (n) => `add to #${n}: comment`, 'comment'],
    ['"add a comment to"', (n) => `add a comment to #${n}: tray 2 is empty`, 'tray 2 is empty'],
    ['"comment on"', (n) => `comment on #${n}: the jam is at the fuser`, 'the jam is at the fuser'],
    ['« ajouter un commentaire au »', (n) => `ajouter un commentaire au ${n} : comment je le redémarre ?`, 'comment je le redémarre ?'],
  ];
  for (const [name, text, stored] of cases) {
    it(`keeps ${name} on the ticket, not answered as help`, async () => {
      const result = await send(text(number));
      const replies = result.replies.map(renderPlainText).join('\n');
      expect(replies).not.toContain(say('fr', 'core.help').slice(0, 30));
      expect(replies).not.toContain(say('en', 'core.help').slice(0, 30));
      expect(result.decision?.reason).toMatch(/^module:tickets/);
      const infos = await testDb.db.client.ticketEvent.findMany({ where: { ticket: { number }, kind: 'info' }, orderBy: { createdAt: 'asc' } });
      expect(infos.at(-1)?.data).toEqual({ text: stored });
    });
  }
});
