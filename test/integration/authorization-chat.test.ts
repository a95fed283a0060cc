/**
 * Every chat cell of the authorization table (src/core/authorization.ts) through the bot core on a
 * real database with the shipped configuration: each role (a real person of config/: the
 * requester, an agent of the ticket's group, of another group, the group's manager, the
 * service-desk lead, an admin, an employee) sends the command or presses the card button on a
 * fresh ticket, and the database says whether it was done, as the table says it must be. The
 * system's cells are checked on the desk (the system never chats).
 */
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGuichet, type Guichet } from '../../src/app/guichet.ts';
import { allows, SYSTEM_ID } from '../../src/core/authorization.ts';
import { renderPlainText } from '../../src/core/render-text.ts';
import { CHAT_CELLS, configWithLead, expected, openTicket, PERSON_ROLES, ROLE_PEOPLE, type ChatInput, type World } from '../helpers/authz-cells.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { FakeClock } from '../helpers/fake-channel.ts';

let testDb: TestDatabase;
let guichet: Guichet;
let configDir: string;
let world: World;
let sequence = 0;

beforeAll(async () => {
  testDb = await createTestDatabase();
  configDir = configWithLead();
  guichet = await createGuichet({
    databaseUrl: testDb.url,
    defaultLang: 'en',
    configDir,
    knowledgeDir: 'knowledge',
    // The shipped guides, as in production: a command must win over a guide its words suggest (`kb search vpn`).
    dialogsDir: 'dialogs',
    clock: new FakeClock(new Date('2026-11-23T09:00:00Z')),
    onError: (err, context) => {
      throw new Error(`${context}: ${String(err)}`);
    },
  });
  const ids = new Map<string, string>();
  world = {
    db: testDb.db,
    desk: guichet.desk!,
    async id(email) {
      if (!ids.has(email)) ids.set(email, (await testDb.db.client.user.findFirstOrThrow({ where: { email } })).id);
      return ids.get(email)!;
    },
    async send(email: string, input: ChatInput) {
      const result = await guichet.turn({
        channel: 'web',
        deliveryId: `authz-${++sequence}`,
        user: { externalId: `u-${email}`, displayName: email, email },
        conversation: { externalId: `c-${email}`, kind: 'personal' },
        ...('text' in input ? { text: input.text } : { text: '', action: input.action }),
      });
      return result.replies.map(renderPlainText);
    },
  };
}, 120_000);

afterAll(async () => {
  await guichet?.close();
  await testDb?.cleanup();
  if (configDir) rmSync(configDir, { recursive: true, force: true });
});

describe('the authorization table through the bot core', () => {
  for (const [index, cell] of CHAT_CELLS.entries()) {
    const how = 'action' in cell.input({ number: 0, title: '' }) ? 'card button' : 'typed';
    describe(`${cell.action} (${how}, case ${index + 1})`, () => {
      for (const role of PERSON_ROLES) {
        const allowed = expected(cell.action, role);
        it(`${allowed ? 'lets' : 'refuses'} the ${role}`, async () => {
          const prepared = await cell.prepare(world);
          const who = ROLE_PEOPLE[role].email;
          const replies = await world.send(who, cell.input(prepared));
          expect(await cell.done(world, prepared, replies, who), replies.join('\n---\n')).toBe(allowed);
        });
      }
    });
  }

  it('gives the system only its cells: it reads and works tickets but never answers for the requester', async () => {
    const { number } = await openTicket(world);
    const system = { id: SYSTEM_ID, role: 'admin' as const };
    const access = await guichet.desk!.access(number, system);
    expect(access?.roles).toEqual(['system']);
    for (const action of ['ticket.read', 'ticket.card', 'ticket.resolve', 'ticket.escalate-level'] as const) expect(allows(access!.roles, action)).toBe(expected(action, 'system'));
    for (const action of ['ticket.add-info', 'ticket.confirm', 'ticket.rate', 'ticket.escalate', 'ticket.take'] as const) expect(expected(action, 'system')).toBe(false);
    await expect(guichet.desk!.addInfo(number, system, 'from the clock', 'authz-system:1')).rejects.toMatchObject({ code: 'ticketing.forbidden' });
    expect(await testDb.db.client.ticketEvent.count({ where: { ticket: { number }, kind: 'info' } })).toBe(0);
  });
});
