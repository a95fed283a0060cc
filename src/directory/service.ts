/**
 * Everything the directory actions need, built from the environment: the adapter, the policy file,
 * the code mailer, and the stores (the composition root passes the database's; in-memory ones
 * otherwise, for tests and the terminal). Undefined with DIRECTORY=none.
 */
import type { AccountDirectory } from '../core/directory.ts';
import { DirectoryActions, type ActionOutcome } from './actions.ts';
import { MemoryDirectoryAuditLog, type DirectoryAuditLog } from './audit.ts';
import { createDirectory, type DirectoryEnv } from './config.ts';
import { MemoryIdempotencyStore, type IdempotencyStore } from './idempotency.ts';
import { MailCodeSender } from './mail-code-sender.ts';
import { MemoryChallengeStore, OneTimeCodes, type ChallengeStore } from './one-time-code.ts';
import { MemoryResetTokenStore, PasswordResets, type ResetTokenStore } from './password-resets.ts';
import { loadDirectoryPolicy } from './policy.ts';

export interface DirectoryStores {
  audit: DirectoryAuditLog;
  challenges: ChallengeStore;
  resetTokens: ResetTokenStore;
  idempotency: IdempotencyStore<ActionOutcome>;
}

export interface DirectoryService {
  directory: AccountDirectory;
  /** Every attempt, the reset page's included. */
  audit: DirectoryAuditLog;
  actions: DirectoryActions;
  /** For the portal's reset page: `resets.completeReset(token, newPassword, ownerId)`. */
  resets: PasswordResets;
  close(): void;
}

/**
 * `codeSecret`: the key of the codes' HMAC, the same in every instance that shares the challenge
 * store (a random one per process otherwise: a code is then checked only where it was issued).
 */
export async function createDirectoryService(env: DirectoryEnv, stores: Partial<DirectoryStores> = {}, options: { codeSecret?: Buffer } = {}): Promise<DirectoryService | undefined> {
  const directory = createDirectory(env);
  if (!directory) return undefined;
  const policy = await loadDirectoryPolicy(env.DIRECTORY_ACTIONS_FILE);
  // The configuration requires SMTP_URL and SMTP_FROM whenever a directory is configured.
  const sender = new MailCodeSender(env.SMTP_URL!, env.SMTP_FROM!);
  const resets = new PasswordResets(directory, stores.resetTokens ?? new MemoryResetTokenStore());
  const audit = stores.audit ?? new MemoryDirectoryAuditLog();
  const actions = new DirectoryActions({
    directory,
    policy,
    audit,
    codes: new OneTimeCodes(stores.challenges ?? new MemoryChallengeStore(), options.codeSecret ? { secret: options.codeSecret } : {}),
    sender,
    resets,
    idempotency: stores.idempotency ?? new MemoryIdempotencyStore<ActionOutcome>(),
  });
  return { directory, audit, actions, resets, close: () => sender.close() };
}
