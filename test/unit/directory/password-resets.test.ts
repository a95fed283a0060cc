import { describe, expect, it } from 'vitest';
import { MemoryResetTokenStore, PasswordResets } from '../../../src/directory/password-resets.ts';
import { memoryDirectory } from './seed.ts';

const GOOD = 'Correct-Horse-Battery-9';

describe('password reset tokens', () => {
  it('keeps only the hash of a random token and gives the portal path', async () => {
    const store = new MemoryResetTokenStore();
    const { token, path } = await new PasswordResets(memoryDirectory(), store).issue('alice');
    expect(path).toBe(`/portal/reset/${token}`);
    expect([...store.records.keys()][0]).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify([...store.records.values()])).not.toContain(token);
  });

  it('works once', async () => {
    const directory = memoryDirectory();
    const resets = new PasswordResets(directory, new MemoryResetTokenStore());
    const { token } = await resets.issue('alice');
    expect(await resets.completeReset(token, GOOD)).toEqual({ kind: 'done', accountId: 'alice' });
    expect(directory.accounts.get('alice')!.password).toBe(GOOD);
    expect(await resets.completeReset(token, 'Another-Good-Pass-7')).toEqual({ kind: 'invalid-token' });
    expect(directory.accounts.get('alice')!.password).toBe(GOOD);
  });

  it("returns the directory's policy refusal and keeps the link for another try", async () => {
    const resets = new PasswordResets(memoryDirectory(), new MemoryResetTokenStore());
    const { token } = await resets.issue('alice');
    expect(await resets.completeReset(token, 'short')).toMatchObject({ kind: 'password-refused', detail: expect.stringContaining('12 characters') });
    expect(await resets.completeReset(token, GOOD)).toMatchObject({ kind: 'done' });
  });

  it('expires after 15 minutes', async () => {
    let now = new Date('2026-12-06T09:00:00Z');
    const resets = new PasswordResets(memoryDirectory(), new MemoryResetTokenStore(), { now: () => now });
    const { token } = await resets.issue('alice');
    now = new Date('2026-12-06T09:15:00Z');
    expect(await resets.completeReset(token, GOOD)).toEqual({ kind: 'invalid-token' });
  });

  it('refuses an unknown token', async () => {
    const resets = new PasswordResets(memoryDirectory(), new MemoryResetTokenStore());
    expect(await resets.completeReset('made-up', GOOD)).toEqual({ kind: 'invalid-token' });
  });

  it('says the directory is unreachable and keeps the link', async () => {
    const directory = memoryDirectory();
    const resets = new PasswordResets(directory, new MemoryResetTokenStore());
    const { token } = await resets.issue('alice');
    directory.unreachable = true;
    expect(await resets.completeReset(token, GOOD)).toMatchObject({ kind: 'failed', reason: 'unreachable' });
    directory.unreachable = false;
    expect(await resets.completeReset(token, GOOD)).toMatchObject({ kind: 'done' });
  });
});
