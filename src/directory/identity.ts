/**
 * Identity first: who is asking, as one directory entry. A chat platform's identity is mapped to
 * directory look-ups in order of trust (the Entra object id Teams vouches for, then a verified
 * e-mail); exactly one entry must answer, none or several is a refusal, never a guess.
 */
import type { AccountDirectory, DirectoryAccount, DirectoryFailureReason, DirectoryKey } from '../core/directory.ts';

/** How a channel identified the person. Only what the platform has verified is used. */
export type ChatIdentity =
  /** Teams: the Entra object id (activity.from.aadObjectId) and the signed-in user's UPN/e-mail. */
  | { channel: 'teams'; aadObjectId?: string; email?: string }
  /** Slack: the profile e-mail, used only when Slack says it is confirmed (is_email_confirmed). */
  | { channel: 'slack'; userId: string; email?: string; emailVerified: boolean }
  /** Web chat: the OIDC subject and e-mail claims; the e-mail only with email_verified. */
  | { channel: 'web'; subject: string; email?: string; emailVerified: boolean };

export type IdentityOutcome =
  | { kind: 'found'; account: DirectoryAccount }
  | { kind: 'refused'; reason: 'no-entry' | 'several-entries' | 'unverified-identity' }
  | { kind: 'failed'; reason: DirectoryFailureReason; detail: string };

/** The directory look-ups for `identity`, most trusted first. */
export function directoryKeys(identity: ChatIdentity): DirectoryKey[] {
  const keys: DirectoryKey[] = [];
  if (identity.channel === 'teams') {
    if (identity.aadObjectId) keys.push({ kind: 'object-id', value: identity.aadObjectId });
    // Teams' e-mail is the Entra sign-in name: verified by the tenant itself.
    if (identity.email) keys.push({ kind: 'email', value: identity.email });
  } else if (identity.emailVerified && identity.email) {
    keys.push({ kind: 'email', value: identity.email });
  }
  return keys;
}

/** A short description of who asked, for the audit log. */
export function describeIdentity(identity: ChatIdentity): string {
  if (identity.channel === 'teams') return `teams:${identity.aadObjectId ?? identity.email ?? '?'}`;
  if (identity.channel === 'slack') return `slack:${identity.userId}`;
  return `web:${identity.subject}`;
}

/**
 * The one entry of the person behind `identity`. The first key the directory can answer decides:
 * a key it cannot use (an LDAP without the object id attribute) passes to the next one.
 */
export async function identify(directory: AccountDirectory, identity: ChatIdentity): Promise<IdentityOutcome> {
  const keys = directoryKeys(identity);
  if (keys.length === 0) return { kind: 'refused', reason: 'unverified-identity' };
  for (const key of keys) {
    const result = await directory.find(key);
    if (!result.ok) {
      if (result.reason === 'unsupported') continue;
      return { kind: 'failed', reason: result.reason, detail: result.detail };
    }
    if (result.value.length > 1) return { kind: 'refused', reason: 'several-entries' };
    const [account] = result.value;
    if (account) return { kind: 'found', account };
  }
  return { kind: 'refused', reason: 'no-entry' };
}
