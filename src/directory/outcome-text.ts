/**
 * The sentence that tells the person the outcome of a directory action, from src/texts/directory.ts.
 * `resetBaseUrl` is the public URL the reset link path is joined to (PUBLIC_URL).
 */
import type { Lang, Localized } from '../core/lang.ts';
import { localizeEntry, type TextVars } from '../texts/define.ts';
import { directory as texts } from '../texts/directory.ts';
import type { ActionOutcome, RefusalReason } from './outcome.ts';
import type { DirectoryAction } from './policy.ts';

const ACTION_WORDS = {
  status: texts.actionStatus,
  unlock: texts.actionUnlock,
  'reset-password': texts.actionResetPassword,
  'reset-mfa': texts.actionResetMfa,
  'add-to-group': texts.actionAddToGroup,
  'remove-from-group': texts.actionRemoveFromGroup,
} satisfies Record<DirectoryAction, Localized>;

const REFUSALS = {
  'no-entry': texts.refusedNoEntry,
  'several-entries': texts.refusedSeveralEntries,
  'unverified-identity': texts.refusedUnverified,
  'action-disabled': texts.refusedDisabledAction,
  'not-allowed': texts.refusedNotAllowed,
  privileged: texts.refusedPrivileged,
  'limit-reached': texts.refusedLimit,
  'group-not-grantable': texts.refusedGroup,
  'approval-missing': texts.refusedApproval,
  'account-disabled': texts.refusedAccountDisabled,
  'no-second-channel': texts.refusedNoChannel,
  'code-mismatch': texts.refusedCodeMismatch,
  'code-expired': texts.refusedCodeExpired,
  'too-many-attempts': texts.refusedTooManyAttempts,
} satisfies Record<RefusalReason, Localized>;

/** The action in words ("unlock your account"), for the code e-mail and the dry-run answer. */
export function actionWords(action: DirectoryAction, lang: Lang, group = ''): string {
  return localizeEntry(ACTION_WORDS[action], lang, { group });
}

const yesNo = (value: boolean, lang: Lang) => localizeEntry(value ? texts.yes : texts.no, lang);

/** What to tell the person about `outcome`. */
export function describeOutcome(outcome: ActionOutcome, lang: Lang, resetBaseUrl = ''): string {
  const say = (entry: Localized, vars: TextVars = {}) => localizeEntry(entry, lang, vars);
  switch (outcome.kind) {
    case 'code-sent':
      return say(texts.codeSent, { to: outcome.sentTo });
    case 'dry-run':
      return say(texts.dryRun, { action: actionWords(outcome.action, lang, outcome.group) });
    case 'refused':
      return say(REFUSALS[outcome.reason], { limit: outcome.limit ?? '', attempts: outcome.attemptsLeft ?? '', group: outcome.group ?? '' });
    case 'failed':
      if (outcome.reason === 'unsupported') return say(texts.failedUnsupported);
      return say(outcome.reason === 'unreachable' ? texts.failedUnreachable : texts.failedRefused);
    case 'done':
      return describeDone(outcome, lang, resetBaseUrl);
  }
}

function describeDone(outcome: Extract<ActionOutcome, { kind: 'done' }>, lang: Lang, resetBaseUrl: string): string {
  const say = (entry: Localized, vars: TextVars = {}) => localizeEntry(entry, lang, vars);
  switch (outcome.action) {
    case 'unlock':
      return say(outcome.changed ? texts.unlocked : texts.notLocked);
    case 'reset-password':
      return say(texts.resetLink, { link: `${resetBaseUrl.replace(/\/$/, '')}${outcome.resetPath ?? ''}` });
    case 'reset-mfa':
      return say(texts.mfaReset);
    case 'add-to-group':
      return say(texts.groupAdded, { group: outcome.group ?? '' });
    case 'remove-from-group':
      return say(texts.groupRemoved, { group: outcome.group ?? '' });
    case 'status': {
      const s = outcome.status;
      const changed = s?.passwordChangedAt?.toISOString().slice(0, 10) ?? '?';
      return say(texts.status, { locked: yesNo(!!s?.locked, lang), disabled: yesNo(!!s?.disabled, lang), expired: yesNo(!!s?.passwordExpired, lang), changed });
    }
  }
}
