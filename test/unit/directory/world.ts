/**
 * DirectoryActions over the in-memory directory, with a code sender that keeps what it sends.
 */
import { DirectoryActions, type ActionRequest } from '../../../src/directory/actions.ts';
import { MemoryDirectoryAuditLog } from '../../../src/directory/audit.ts';
import type { ChatIdentity } from '../../../src/directory/identity.ts';
import { MemoryIdempotencyStore } from '../../../src/directory/idempotency.ts';
import { MemoryChallengeStore, OneTimeCodes, type CodeMessage, type CodeSender } from '../../../src/directory/one-time-code.ts';
import { MemoryResetTokenStore, PasswordResets } from '../../../src/directory/password-resets.ts';
import { parseDirectoryPolicy, type DirectoryPolicy } from '../../../src/directory/policy.ts';
import type { AccountDirectory, MemoryAccountDirectory } from '../../../src/core/directory.ts';
import { memoryDirectory } from './seed.ts';

export class RecordingCodeSender implements CodeSender {
  readonly sent: CodeMessage[] = [];
  failing = false;
  async send(message: CodeMessage) {
    if (this.failing) return { ok: false as const, detail: 'smtp down' };
    this.sent.push(message);
    return { ok: true as const };
  }
  lastCode(): string {
    const last = this.sent.at(-1);
    if (!last) throw new Error('no code was sent');
    return last.code;
  }
}

export const POLICY = {
  protectedGroups: ['admins'],
  actions: {
    status: { enabled: true },
    unlock: { enabled: true, perPersonPerDay: 3 },
    'reset-password': { enabled: true, requireCode: true },
    'reset-mfa': { enabled: true, requireCode: true, perPersonPerDay: 1 },
    'add-to-group': { enabled: true, groups: ['finance-share', 'vpn-users'], requireApproval: true },
    'remove-from-group': { enabled: false, groups: ['vpn-users'] },
  },
};

export function actionsWorld<D extends AccountDirectory = MemoryAccountDirectory>(
  options: { policy?: unknown; now?: () => Date } = {},
  directory: D = memoryDirectory() as unknown as D,
) {
  const policy: DirectoryPolicy = parseDirectoryPolicy(options.policy ?? POLICY, 'test policy');
  const audit = new MemoryDirectoryAuditLog();
  const sender = new RecordingCodeSender();
  const now = options.now ?? (() => new Date());
  const codes = new OneTimeCodes(new MemoryChallengeStore(), { now });
  const resetStore = new MemoryResetTokenStore();
  const resets = new PasswordResets(directory, resetStore, { now });
  const actions = new DirectoryActions({ directory, policy, audit, codes, sender, resets, idempotency: new MemoryIdempotencyStore(), now });
  let delivery = 0;
  const ask = (requester: ChatIdentity, action: ActionRequest['action'], extra: Partial<ActionRequest> = {}) =>
    actions.perform({ idempotencyKey: `delivery-${++delivery}`, requester, action, lang: 'en', ...extra });
  return { directory, policy, audit, sender, codes, resets, resetStore, actions, ask };
}

export const slack = (email: string, emailVerified = true): ChatIdentity => ({ channel: 'slack', userId: `U-${email}`, email, emailVerified });
export const teams = (aadObjectId: string, email?: string): ChatIdentity => ({ channel: 'teams', aadObjectId, ...(email ? { email } : {}) });
