/**
 * One-time codes sent to a second channel registered in the directory (a personal e-mail), to check
 * that the person in the chat is the account's owner before a sensitive action. A code is 6 random
 * digits (crypto), kept only as a salted HMAC, valid 10 minutes, for at most 3 attempts, and bound to
 * one account and one action: a code for another account or action never matches.
 */
import { createHmac, randomBytes, randomInt, randomUUID, timingSafeEqual } from 'node:crypto';
import type { Lang } from '../core/lang.ts';

export interface CodeChallenge {
  id: string;
  accountId: string;
  action: string;
  /** HMAC-SHA256(secret, salt + code), hex. */
  hash: string;
  salt: string;
  expiresAt: Date;
  attemptsLeft: number;
}

/** Where challenges wait for their code. */
export interface ChallengeStore {
  put(challenge: CodeChallenge): Promise<void>;
  get(id: string): Promise<CodeChallenge | undefined>;
  delete(id: string): Promise<void>;
}

/** In-memory challenges: tests and a single process only (a restart forgets them; not shared between instances). */
export class MemoryChallengeStore implements ChallengeStore {
  readonly challenges = new Map<string, CodeChallenge>();
  async put(challenge: CodeChallenge): Promise<void> {
    this.challenges.set(challenge.id, { ...challenge });
  }
  async get(id: string): Promise<CodeChallenge | undefined> {
    const found = this.challenges.get(id);
    return found && { ...found };
  }
  async delete(id: string): Promise<void> {
    this.challenges.delete(id);
  }
}

/** A code on its way to a person. */
export interface CodeMessage {
  to: string;
  name: string;
  code: string;
  /** The action, in words ("unlock your account"). */
  action: string;
  minutes: number;
  lang: Lang;
}

/** Sends the code over the second channel; a failure is a value. */
export interface CodeSender {
  send(message: CodeMessage): Promise<{ ok: true } | { ok: false; detail: string }>;
}

export type Verification =
  | { kind: 'valid' }
  | { kind: 'mismatch'; attemptsLeft: number }
  /** No attempt left: the challenge is void, and the caller opens a security ticket. */
  | { kind: 'too-many-attempts' }
  /** Unknown, expired, already used, or issued for another account or action. */
  | { kind: 'expired' };

export interface OneTimeCodeOptions {
  /** HMAC key; a random one per process when omitted (codes then die with the process anyway). */
  secret?: Buffer;
  ttlMinutes?: number;
  maxAttempts?: number;
  now?: () => Date;
}

export class OneTimeCodes {
  private readonly secret: Buffer;
  readonly ttlMinutes: number;
  private readonly maxAttempts: number;
  private readonly now: () => Date;

  constructor(
    private readonly store: ChallengeStore,
    options: OneTimeCodeOptions = {},
  ) {
    this.secret = options.secret ?? randomBytes(32);
    this.ttlMinutes = options.ttlMinutes ?? 10;
    this.maxAttempts = options.maxAttempts ?? 3;
    this.now = options.now ?? (() => new Date());
  }

  /** A new challenge for `accountId` and `action`, and the code to send (never stored in clear). */
  async issue(accountId: string, action: string): Promise<{ challengeId: string; code: string }> {
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    const salt = randomBytes(16).toString('hex');
    const challenge: CodeChallenge = {
      id: randomUUID(),
      accountId,
      action,
      salt,
      hash: this.hash(salt, code),
      expiresAt: new Date(this.now().getTime() + this.ttlMinutes * 60_000),
      attemptsLeft: this.maxAttempts,
    };
    await this.store.put(challenge);
    return { challengeId: challenge.id, code };
  }

  /** Checks `code`; a valid code is used up, a wrong one costs an attempt. */
  async verify(challengeId: string, accountId: string, action: string, code: string): Promise<Verification> {
    const challenge = await this.store.get(challengeId);
    if (!challenge || challenge.accountId !== accountId || challenge.action !== action) return { kind: 'expired' };
    if (challenge.expiresAt.getTime() <= this.now().getTime()) {
      await this.store.delete(challengeId);
      return { kind: 'expired' };
    }
    const given = Buffer.from(this.hash(challenge.salt, code.trim()), 'hex');
    if (timingSafeEqual(given, Buffer.from(challenge.hash, 'hex'))) {
      await this.store.delete(challengeId);
      return { kind: 'valid' };
    }
    const attemptsLeft = challenge.attemptsLeft - 1;
    if (attemptsLeft <= 0) {
      await this.store.delete(challengeId);
      return { kind: 'too-many-attempts' };
    }
    await this.store.put({ ...challenge, attemptsLeft });
    return { kind: 'mismatch', attemptsLeft };
  }

  private hash(salt: string, code: string): string {
    return createHmac('sha256', this.secret).update(`${salt}:${code}`).digest('hex');
  }
}

/** "a***@home.example": enough for the person to recognise their address, not to learn it. */
export function maskEmail(address: string): string {
  const [local = '', domain = ''] = address.split('@');
  return `${local.slice(0, 1)}***@${domain}`;
}
