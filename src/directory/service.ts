/**
 * Everything the directory actions need, built from the environment: the adapter, the policy file,
 * the code mailer, and stores. Undefined with DIRECTORY=none. The audit log, challenge, reset-token
 * and idempotency stores are in-memory until their Prisma implementations exist; pass real ones in
 * `stores` then.
 */
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
  actions: DirectoryActions;
  /** For the portal's reset page: `resets.completeReset(token, newPassword)`. */
  resets: PasswordResets;
  close(): void;
}

export async function createDirectoryService(env: DirectoryEnv, stores: Partial<DirectoryStores> = {}): Promise<DirectoryService | undefined> {
  const directory = createDirectory(env);
  if (!directory) return undefined;
  const policy = await loadDirectoryPolicy(env.DIRECTORY_ACTIONS_FILE);
  // The schema requires SMTP_URL and SMTP_FROM whenever a directory is configured.
  const sender = new MailCodeSender(env.SMTP_URL!, env.SMTP_FROM!);
  const resets = new PasswordResets(directory, stores.resetTokens ?? new MemoryResetTokenStore());
  const actions = new DirectoryActions({
    directory,
    policy,
    audit: stores.audit ?? new MemoryDirectoryAuditLog(),
    codes: new OneTimeCodes(stores.challenges ?? new MemoryChallengeStore()),
    sender,
    resets,
    idempotency: stores.idempotency ?? new MemoryIdempotencyStore<ActionOutcome>(),
  });
  return { actions, resets, close: () => sender.close() };
}
