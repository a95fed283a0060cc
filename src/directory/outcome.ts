/** What a directory action ends in: the values actions.ts returns and outcome-text.ts words. */
import type { AccountStatus, DirectoryFailureReason } from '../core/directory.ts';
import type { DirectoryAction, PolicyRefusal } from './policy.ts';

export type RefusalReason =
  | 'no-entry'
  | 'several-entries'
  | 'unverified-identity'
  | PolicyRefusal['reason']
  | 'account-disabled'
  | 'no-second-channel'
  | 'code-mismatch'
  | 'code-expired'
  | 'too-many-attempts';

export type ActionOutcome =
  | { kind: 'done'; action: DirectoryAction; accountId: string; changed: boolean; status?: AccountStatus; resetPath?: string; group?: string }
  | { kind: 'dry-run'; action: DirectoryAction; accountId: string; group?: string }
  | { kind: 'code-sent'; action: DirectoryAction; accountId: string; challengeId: string; sentTo: string }
  | {
      kind: 'refused';
      action: DirectoryAction;
      reason: RefusalReason;
      /** Open a P2 security ticket (too many wrong codes: someone may be trying to take the account). */
      securityTicket?: 'P2';
      limit?: number;
      attemptsLeft?: number;
      group?: string;
    }
  | { kind: 'failed'; action: DirectoryAction; reason: DirectoryFailureReason; detail: string };

/** An outcome read back from JSON (a stored run): the status's date becomes a Date again. */
export function reviveOutcome(json: unknown): ActionOutcome {
  const outcome = json as ActionOutcome;
  if (outcome.kind === 'done' && outcome.status) {
    const changed = outcome.status.passwordChangedAt as unknown;
    const { passwordChangedAt: _p, ...status } = outcome.status;
    return { ...outcome, status: typeof changed === 'string' ? { ...status, passwordChangedAt: new Date(changed) } : status };
  }
  return outcome;
}
