/**
 * A person the platform gives no name for (an anonymous web visitor) is stored with an empty display
 * name, never their platform id, on both databases; the migration clears the ids stored so before.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { personName } from '../../src/core/ticket-texts.ts';
import { PrismaUserDirectory } from '../../src/persistence/stores/users.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';

let testDb: TestDatabase;

beforeAll(async () => {
  testDb = await createTestDatabase();
}, 60_000);

afterAll(async () => {
  await testDb?.cleanup();
});

describe('a person with no name', () => {
  it('is stored with an empty name, shown as "name unknown"', async () => {
    const users = new PrismaUserDirectory(testDb.db);
    const visitor = await users.identify({ platform: 'web', tenantId: '', externalId: 'qIVGpxcxmgeFXpgmDbpqffFo' }, {});
    const row = await testDb.db.client.user.findUniqueOrThrow({ where: { id: visitor.id } });
    expect(row.displayName).toBe('');
    expect(personName(row, 'en')).toBe('The requester (name unknown)');
    const named = await users.identify({ platform: 'slack', tenantId: 'T1', externalId: 'U0ALICE42' }, { displayName: 'Alice Martin' });
    expect((await testDb.db.client.user.findUniqueOrThrow({ where: { id: named.id } })).displayName).toBe('Alice Martin');
  });

  it('loses the platform id stored as a name before (the anonymous_names migration), and keeps real names', async () => {
    const client = testDb.db.client;
    const old = await client.user.create({ data: { displayName: 'kQ3x9_TzA1bC2dE3fG4hI5', identities: { create: { platform: 'web', externalId: 'kQ3x9_TzA1bC2dE3fG4hI5' } } } });
    const real = await client.user.create({ data: { displayName: 'Léa', identities: { create: { platform: 'web', externalId: 'xY7' } } } });
    const sql = readFileSync(`prisma/${testDb.db.provider === 'sqlite' ? 'sqlite' : 'postgres'}/migrations/20261206185441_anonymous_names/migration.sql`, 'utf8');
    await client.$executeRawUnsafe(sql.replace(/^--.*$/gm, '').trim());
    expect((await client.user.findUniqueOrThrow({ where: { id: old.id } })).displayName).toBe('');
    expect((await client.user.findUniqueOrThrow({ where: { id: real.id } })).displayName).toBe('Léa');
  });
});
