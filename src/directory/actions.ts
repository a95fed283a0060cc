/**
 * The first-level directory actions a person asks for in chat (status, unlock, password reset, MFA
 * re-registration, approved group access), in one safe order: identify the person (exactly one
 * entry), ask the policy, check a one-time code for sensitive actions, act (or only record in
 * dry-run), and record every attempt in the audit log. Every outcome is a value; a retried delivery
 * (same idempotency key) gets the first outcome back without acting twice.
 */
import type { AccountDirectory, DirectoryAccount, DirectoryResult } from '../core/directory.ts';
import type { Lang } from '../core/lang.ts';
import type { DirectoryAuditLog } from './audit.ts';
import { describeIdentity, identify, type ChatIdentity } from './identity.ts';
import type { IdempotencyStore } from './idempotency.ts';
import { maskEmail, type CodeSender, type OneTimeCodes } from './one-time-code.ts';
import { actionWords } from './outcome-text.ts';
import type { PasswordResets } from './password-resets.ts';
import { decide, type DirectoryAction, type DirectoryPolicy } from './policy.ts';

export interface ActionRequest {
  /** Unique per chat delivery (the platform's activity or event id). */
  idempotencyKey: string;
  requester: ChatIdentity;
  action: DirectoryAction;
  /** Group name, for group actions. */
  group?: string;
  /** Approval reference (ticket or request number), for add-to-group. */
  approval?: string;
  /** The answer to an earlier `code-sent` outcome. */
  code?: { challengeId: string; code: string };
  lang: Lang;
}

import type { ActionOutcome } from './outcome.ts';

export type { ActionOutcome, RefusalReason } from './outcome.ts';

export interface DirectoryActionsDeps {
  directory: AccountDirectory;
  policy: DirectoryPolicy;
  audit: DirectoryAuditLog;
  codes: OneTimeCodes;
  sender: CodeSender;
  resets: PasswordResets;
  idempotency: IdempotencyStore<ActionOutcome>;
  now?: () => Date;
}

const DAY_MS = 86_400_000;
/**
 * Codes sent per account and action per 24 hours. Each code allows 3 guesses out of a million; the
 * cap keeps someone from asking for code after code until a guess lands.
 */
export const MAX_CODES_PER_DAY = 5;

export class DirectoryActions {
  private readonly now: () => Date;

  constructor(private readonly deps: DirectoryActionsDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  /** Carries out `request` once per idempotency key, and records the attempt. */
  async perform(request: ActionRequest): Promise<ActionOutcome> {
    const { outcome } = await this.deps.idempotency.once(request.idempotencyKey, async () => {
      let accountId: string | undefined;
      const outcome = await this.run(request, (id) => (accountId = id));
      await this.deps.audit.record({
        at: this.now(),
        requester: describeIdentity(request.requester),
        ...(accountId ? { accountId } : {}),
        action: request.action,
        ...(request.group ? { group: request.group } : {}),
        result: outcome.kind === 'refused' || outcome.kind === 'failed' ? `${outcome.kind}:${outcome.reason}` : outcome.kind,
        idempotencyKey: request.idempotencyKey,
      });
      return outcome;
    });
    return outcome;
  }

  private async run(request: ActionRequest, identified: (accountId: string) => void): Promise<ActionOutcome> {
    const { action } = request;
    const who = await identify(this.deps.directory, request.requester);
    if (who.kind === 'refused') return { kind: 'refused', action, reason: who.reason };
    if (who.kind === 'failed') return { kind: 'failed', action, reason: who.reason, detail: who.detail };
    const { account } = who;
    identified(account.id);

    const doneToday = await this.deps.audit.count({ accountId: account.id, action, result: 'done', since: new Date(this.now().getTime() - DAY_MS) });
    const decision = decide(this.deps.policy, { action, account, doneToday, ...(request.group ? { group: request.group } : {}), ...(request.approval ? { approval: request.approval } : {}) });
    if (!decision.allowed) {
      const { allowed: _allowed, ...refusal } = decision;
      return { kind: 'refused', action, ...refusal };
    }
    if (decision.requireCode) {
      const check = await this.checkCode(request, account);
      if (check) return check;
    }
    if (decision.dryRun) return { kind: 'dry-run', action, accountId: account.id, ...(request.group ? { group: request.group } : {}) };
    return this.act(request, account);
  }

  /** Sends a code (first call) or verifies it (second call); undefined when the code is good. */
  private async checkCode(request: ActionRequest, account: DirectoryAccount): Promise<ActionOutcome | undefined> {
    const { action } = request;
    if (request.code) {
      const verification = await this.deps.codes.verify(request.code.challengeId, account.id, action, request.code.code);
      if (verification.kind === 'valid') return undefined;
      if (verification.kind === 'mismatch') return { kind: 'refused', action, reason: 'code-mismatch', attemptsLeft: verification.attemptsLeft };
      if (verification.kind === 'too-many-attempts') return { kind: 'refused', action, reason: 'too-many-attempts', securityTicket: 'P2' };
      return { kind: 'refused', action, reason: 'code-expired' };
    }
    if (!account.recoveryEmail) return { kind: 'refused', action, reason: 'no-second-channel' };
    const since = new Date(this.now().getTime() - DAY_MS);
    if ((await this.deps.audit.count({ accountId: account.id, action, result: 'code-sent', since })) >= MAX_CODES_PER_DAY) {
      return { kind: 'refused', action, reason: 'limit-reached', limit: MAX_CODES_PER_DAY };
    }
    const { challengeId, code } = await this.deps.codes.issue(account.id, action);
    const sent = await this.deps.sender.send({
      to: account.recoveryEmail,
      name: account.displayName,
      code,
      action: actionWords(action, request.lang, request.group),
      minutes: this.deps.codes.ttlMinutes,
      lang: request.lang,
    });
    if (!sent.ok) return { kind: 'failed', action, reason: 'unreachable', detail: sent.detail };
    return { kind: 'code-sent', action, accountId: account.id, challengeId, sentTo: maskEmail(account.recoveryEmail) };
  }

  private async act(request: ActionRequest, account: DirectoryAccount): Promise<ActionOutcome> {
    const { action } = request;
    const { directory } = this.deps;
    const done = (extra: Partial<Extract<ActionOutcome, { kind: 'done' }>> = {}): ActionOutcome => ({ kind: 'done', action, accountId: account.id, changed: true, ...extra });
    const after = (result: DirectoryResult<unknown>, extra?: Partial<Extract<ActionOutcome, { kind: 'done' }>>) =>
      result.ok ? done(extra) : ({ kind: 'failed', action, reason: result.reason, detail: result.detail } as const);

    if (action === 'status') {
      const status = await directory.status(account.id);
      return status.ok ? done({ changed: false, status: status.value }) : after(status);
    }
    if (action === 'reset-password') return done({ resetPath: (await this.deps.resets.issue(account.id)).path, changed: false });
    if (action === 'reset-mfa') return after(await directory.requireMfaReRegistration(account.id));
    if (action === 'unlock') {
      // Read first: a disabled account is never "unlocked" into use by the bot.
      const status = await directory.status(account.id);
      if (!status.ok) return after(status);
      if (status.value.disabled) return { kind: 'refused', action, reason: 'account-disabled' };
      return after(await directory.unlock(account.id), { changed: status.value.locked });
    }
    const group = await directory.findGroup(request.group ?? '');
    if (!group.ok) return after(group);
    const change = action === 'add-to-group' ? directory.addToGroup(account.id, group.value.id) : directory.removeFromGroup(account.id, group.value.id);
    return after(await change, { group: group.value.name });
  }
}
