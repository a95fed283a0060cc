/**
 * The directory actions' Prisma stores on a real database (SQLite, or PostgreSQL with DATABASE_URL):
 * the audit log and its daily counts, challenges, single-use reset tokens, and one run per delivery
 * shared across store instances (as between two server instances), the outcome replayed with its date.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryAccountDirectory } from '../../src/core/directory.ts';
import { OneTimeCodes } from '../../src/directory/one-time-code.ts';
import { reviveOutcome, type ActionOutcome } from '../../src/directory/outcome.ts';
import { PasswordResets } from '../../src/directory/password-resets.ts';
import { chatIdentityOf, PrismaChallengeStore, PrismaDirectoryAuditLog, PrismaIdempotencyStore, PrismaResetTokenStore } from '../../src/persistence/stores/directory.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';

let testDb: TestDatabase;

beforeAll(async () => {
  testDb = await createTestDatabase();
}, 60_000);

afterAll(async () => {
  await testDb?.cleanup();
});

describe('PrismaDirectoryAuditLog', () => {
  it('records every attempt and counts one action and result per account since a time', async () => {
    const audit = new PrismaDirectoryAuditLog(testDb.db);
    const at = (iso: string) => new Date(iso);
    await audit.record({ at: at('2026-12-05T08:00:00Z'), requester: 'slack:U1', accountId: 'uid=bob', action: 'unlock', result: 'done', idempotencyKey: 'k1' });
    await audit.record({ at: at('2026-12-06T08:00:00Z'), requester: 'slack:U1', accountId: 'uid=bob', action: 'unlock', result: 'done', idempotencyKey: 'k2' });
    await audit.record({ at: at('2026-12-06T09:00:00Z'), requester: 'slack:U1', accountId: 'uid=bob', action: 'unlock', result: 'refused:limit-reached', idempotencyKey: 'k3' });
    await audit.record({ at: at('2026-12-06T09:00:00Z'), requester: 'web:sub', action: 'status', result: 'refused:no-entry', idempotencyKey: 'k4' });
    expect(await audit.count({ accountId: 'uid=bob', action: 'unlock', result: 'done', since: at('2026-12-05T12:00:00Z') })).toBe(1);
    expect(await audit.count({ accountId: 'uid=bob', action: 'unlock', result: 'done', since: at('2026-12-01T00:00:00Z') })).toBe(2);
    const latest = await audit.latest(2);
    expect(latest.map((e) => e.idempotencyKey).sort()).toEqual(['k3', 'k4']);
    expect(latest.find((e) => e.idempotencyKey === 'k4')).toEqual({ at: at('2026-12-06T09:00:00Z'), requester: 'web:sub', action: 'status', result: 'refused:no-entry', idempotencyKey: 'k4' });
  });
});

describe('PrismaChallengeStore through OneTimeCodes', () => {
  it('keeps a challenge across instances, costs an attempt per wrong code and voids it after the last', async () => {
    const secret = Buffer.alloc(32, 7);
    const codes = new OneTimeCodes(new PrismaChallengeStore(testDb.db), { secret });
    const { challengeId, code } = await codes.issue('uid=alice', 'reset-password');
    const stored = await testDb.db.client.directoryChallenge.findUniqueOrThrow({ where: { id: challengeId } });
    expect(stored.hash).not.toContain(code);
    const other = new OneTimeCodes(new PrismaChallengeStore(testDb.db), { secret });
    const wrong = code === '000000' ? '000001' : '000000';
    expect(await other.verify(challengeId, 'uid=alice', 'reset-password', wrong)).toEqual({ kind: 'mismatch', attemptsLeft: 2 });
    expect(await other.verify(challengeId, 'uid=bob', 'reset-password', code)).toEqual({ kind: 'expired' });
    expect(await other.verify(challengeId, 'uid=alice', 'reset-password', code)).toEqual({ kind: 'valid' });
    expect(await other.verify(challengeId, 'uid=alice', 'reset-password', code)).toEqual({ kind: 'expired' });

    const again = await codes.issue('uid=alice', 'reset-mfa');
    for (const left of [2, 1]) expect(await codes.verify(again.challengeId, 'uid=alice', 'reset-mfa', wrong)).toEqual({ kind: 'mismatch', attemptsLeft: left });
    expect(await codes.verify(again.challengeId, 'uid=alice', 'reset-mfa', wrong)).toEqual({ kind: 'too-many-attempts' });
    expect(await testDb.db.client.directoryChallenge.count({ where: { id: again.challengeId } })).toBe(0);
  });
});

describe('PrismaResetTokenStore through PasswordResets', () => {
  it('keeps only the hash, lets a refused password try again, and works once', async () => {
    const directory = new MemoryAccountDirectory([
      { id: 'uid=alice', login: 'alice', displayName: 'Alice', groups: [], privileged: false, mfaMethods: [], status: { locked: true, passwordExpired: true, disabled: false, mustChangePassword: false } },
    ]);
    const resets = new PasswordResets(directory, new PrismaResetTokenStore(testDb.db));
    const { token, path } = await resets.issue('uid=alice');
    expect(path).toBe(`/portal/reset/${token}`);
    const rows = await testDb.db.client.directoryResetToken.findMany();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.hash).not.toBe(token);
    expect(await resets.completeReset(token, 'short')).toMatchObject({ kind: 'password-refused' });
    const [first, second] = await Promise.all([resets.completeReset(token, 'a-long-enough-pass-1'), resets.completeReset(token, 'a-long-enough-pass-2')]);
    expect([first.kind, second.kind].sort()).toEqual(['done', 'invalid-token']);
    expect(directory.accounts.get('uid=alice')!.status.locked).toBe(false);
    expect(await resets.completeReset(token, 'a-long-enough-pass-3')).toEqual({ kind: 'invalid-token' });
  });
});

describe('PrismaIdempotencyStore', () => {
  it('runs once per key across instances and concurrent calls, and replays the outcome with its date', async () => {
    const a = new PrismaIdempotencyStore<ActionOutcome>(testDb.db, { revive: reviveOutcome });
    const b = new PrismaIdempotencyStore<ActionOutcome>(testDb.db, { revive: reviveOutcome });
    let runs = 0;
    const changedAt = new Date('2026-12-01T09:00:00Z');
    const work = async (): Promise<ActionOutcome> => {
      runs += 1;
      await new Promise((resolve) => setTimeout(resolve, 150));
      return { kind: 'done', action: 'status', accountId: 'uid=alice', changed: false, status: { locked: false, passwordExpired: false, disabled: false, mustChangePassword: false, passwordChangedAt: changedAt } };
    };
    const [first, second] = await Promise.all([a.once('slack:Ev1', work), b.once('slack:Ev1', work)]);
    expect(runs).toBe(1);
    expect([first.replayed, second.replayed].sort()).toEqual([false, true]);
    const replay = await b.once('slack:Ev1', work);
    expect(runs).toBe(1);
    expect(replay.outcome).toEqual(first.outcome);
    expect(replay.outcome.kind === 'done' && replay.outcome.status?.passwordChangedAt).toEqual(changedAt);
  });

  it('forgets a run that crashed, so the retry runs', async () => {
    const store = new PrismaIdempotencyStore<ActionOutcome>(testDb.db, { revive: reviveOutcome });
    await expect(store.once('slack:Ev2', () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    const again = await store.once('slack:Ev2', async () => ({ kind: 'refused', action: 'unlock', reason: 'no-entry' }) as ActionOutcome);
    expect(again).toEqual({ outcome: { kind: 'refused', action: 'unlock', reason: 'no-entry' }, replayed: false });
  });
});

describe('chatIdentityOf', () => {
  it('gives what each platform vouches for: the Teams object id, the Slack profile e-mail, the OIDC subject; nothing for others', async () => {
    const c = testDb.db.client;
    const aad = '11111111-2222-3333-4444-555555555555';
    const teamsUser = await c.user.create({ data: { displayName: 'T', email: 't@example.org', identities: { create: [{ platform: 'teams', tenantId: 'tn', externalId: aad }] } } });
    const botIdOnly = await c.user.create({ data: { displayName: 'B', identities: { create: [{ platform: 'teams', tenantId: 'tn', externalId: '29:1abc' }] } } });
    const slackUser = await c.user.create({ data: { displayName: 'S', email: 's@example.org', identities: { create: [{ platform: 'slack', tenantId: 'T1', externalId: 'U42' }] } } });
    const webUser = await c.user.create({
      data: { displayName: 'W', email: 'w@example.org', identities: { create: [{ platform: 'web', tenantId: 'portal', externalId: 'x' }, { platform: 'web', tenantId: 'https://idp.example.org', externalId: 'sub-9' }] } },
    });
    const devOnly = await c.user.create({ data: { displayName: 'D', email: 'd@example.org', identities: { create: [{ platform: 'web', tenantId: 'portal', externalId: 'y' }] } } });
    expect(await chatIdentityOf(testDb.db, teamsUser.id, 'teams')).toEqual({ channel: 'teams', aadObjectId: aad, email: 't@example.org' });
    expect(await chatIdentityOf(testDb.db, botIdOnly.id, 'teams')).toBeUndefined();
    expect(await chatIdentityOf(testDb.db, slackUser.id, 'slack')).toEqual({ channel: 'slack', userId: 'U42', email: 's@example.org', emailVerified: true });
    expect(await chatIdentityOf(testDb.db, webUser.id, 'web')).toEqual({ channel: 'web', subject: 'sub-9', email: 'w@example.org', emailVerified: true });
    expect(await chatIdentityOf(testDb.db, devOnly.id, 'web')).toBeUndefined();
    expect(await chatIdentityOf(testDb.db, slackUser.id, 'terminal')).toBeUndefined();
    expect(await chatIdentityOf(testDb.db, slackUser.id, 'teams')).toBeUndefined();
  });
});
