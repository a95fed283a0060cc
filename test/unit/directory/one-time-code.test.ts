import { describe, expect, it } from 'vitest';
import { maskEmail, MemoryChallengeStore, OneTimeCodes } from '../../../src/directory/one-time-code.ts';

describe('one-time codes', () => {
  it('issues 6 random digits and keeps only a salted hash', async () => {
    const store = new MemoryChallengeStore();
    const codes = new OneTimeCodes(store);
    const issued = await Promise.all(Array.from({ length: 20 }, () => codes.issue('alice', 'unlock')));
    for (const { code, challengeId } of issued) {
      expect(code).toMatch(/^\d{6}$/);
      const kept = store.challenges.get(challengeId)!;
      expect(JSON.stringify(kept)).not.toContain(code);
      expect(kept.hash).toMatch(/^[0-9a-f]{64}$/);
    }
    expect(new Set(issued.map((i) => i.code)).size).toBeGreaterThan(15);
  });

  it('accepts the right code once', async () => {
    const codes = new OneTimeCodes(new MemoryChallengeStore());
    const { challengeId, code } = await codes.issue('alice', 'reset-password');
    expect(await codes.verify(challengeId, 'alice', 'reset-password', code)).toEqual({ kind: 'valid' });
    expect(await codes.verify(challengeId, 'alice', 'reset-password', code)).toEqual({ kind: 'expired' });
  });

  it('allows three attempts, then voids the challenge', async () => {
    const codes = new OneTimeCodes(new MemoryChallengeStore());
    const { challengeId, code } = await codes.issue('alice', 'reset-mfa');
    const wrong = code === '000000' ? '111111' : '000000';
    expect(await codes.verify(challengeId, 'alice', 'reset-mfa', wrong)).toEqual({ kind: 'mismatch', attemptsLeft: 2 });
    expect(await codes.verify(challengeId, 'alice', 'reset-mfa', wrong)).toEqual({ kind: 'mismatch', attemptsLeft: 1 });
    expect(await codes.verify(challengeId, 'alice', 'reset-mfa', wrong)).toEqual({ kind: 'too-many-attempts' });
    expect(await codes.verify(challengeId, 'alice', 'reset-mfa', code)).toEqual({ kind: 'expired' });
  });

  it('expires after 10 minutes', async () => {
    let now = new Date('2026-12-06T09:00:00Z');
    const codes = new OneTimeCodes(new MemoryChallengeStore(), { now: () => now });
    const { challengeId, code } = await codes.issue('alice', 'unlock');
    now = new Date('2026-12-06T09:10:00Z');
    expect(await codes.verify(challengeId, 'alice', 'unlock', code)).toEqual({ kind: 'expired' });
  });

  it('never matches a code issued for another account or action', async () => {
    const codes = new OneTimeCodes(new MemoryChallengeStore());
    const { challengeId, code } = await codes.issue('alice', 'reset-password');
    expect(await codes.verify(challengeId, 'bob', 'reset-password', code)).toEqual({ kind: 'expired' });
    expect(await codes.verify(challengeId, 'alice', 'reset-mfa', code)).toEqual({ kind: 'expired' });
  });

  it('masks the address it was sent to', () => {
    expect(maskEmail('alice.martin@home.example')).toBe('a***@home.example');
  });
});
