/**
 * Reading LDAP entries, pure: account status from an OpenLDAP (ppolicy) entry or an Active Directory
 * entry, AD's time formats, and AD's password encoding. Tested on recorded entries, no server.
 */
import type { AccountStatus } from '../core/directory.ts';

/** An entry as ldapts returns it. */
export type LdapEntry = { dn: string } & Record<string, Buffer | Buffer[] | string[] | string>;

/** The first value of `name` as text (LDAP attribute names are case-insensitive). */
export function attr(entry: LdapEntry, name: string): string | undefined {
  return attrs(entry, name)[0];
}

/** Every value of `name` as text. */
export function attrs(entry: LdapEntry, name: string): string[] {
  const key = Object.keys(entry).find((k) => k.toLowerCase() === name.toLowerCase());
  const value = key === undefined ? undefined : entry[key];
  if (value === undefined) return [];
  const list = Array.isArray(value) ? value : [value];
  return list.map((v) => (Buffer.isBuffer(v) ? v.toString('utf8') : v));
}

/** LDAP GeneralizedTime ("20261206081500Z", optionally with fractions) as a Date. */
export function parseGeneralizedTime(text: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?(?:[.,]\d+)?Z$/.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s] = m;
  return new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s ?? 0)));
}

/** OpenLDAP ppolicy's "locked by an administrator, no automatic unlock" value of pwdAccountLockedTime. */
export const OPENLDAP_ADMIN_LOCK = '000001010000Z';

/**
 * Status of an OpenLDAP entry read with its operational attributes. `maxAgeSeconds` is the policy's
 * pwdMaxAge (0 or undefined: passwords never expire). An administrative lock is reported as disabled,
 * a lockout after failed binds as locked (pwdLockoutDuration is not applied: 0 in our policy means
 * "until an administrator unlocks", the usual service desk setting).
 */
export function openLdapStatus(entry: LdapEntry, maxAgeSeconds: number | undefined, now: Date): AccountStatus {
  const lockedTime = attr(entry, 'pwdAccountLockedTime');
  const changed = attr(entry, 'pwdChangedTime');
  const passwordChangedAt = changed ? parseGeneralizedTime(changed) : undefined;
  const expired =
    !!maxAgeSeconds && !!passwordChangedAt && passwordChangedAt.getTime() + maxAgeSeconds * 1000 <= now.getTime();
  return {
    locked: lockedTime !== undefined && lockedTime !== OPENLDAP_ADMIN_LOCK,
    disabled: lockedTime === OPENLDAP_ADMIN_LOCK,
    passwordExpired: expired,
    mustChangePassword: attr(entry, 'pwdReset')?.toUpperCase() === 'TRUE',
    ...(passwordChangedAt ? { passwordChangedAt } : {}),
  };
}

/** userAccountControl flags that Guichet reads (MS-ADTS 2.2.16). */
export const UAC = {
  ACCOUNTDISABLE: 0x0002,
  LOCKOUT: 0x0010,
  DONT_EXPIRE_PASSWORD: 0x1_0000,
  PASSWORD_EXPIRED: 0x80_0000,
} as const;

/** Milliseconds between 1601-01-01 (FILETIME epoch) and 1970-01-01. */
const FILETIME_EPOCH_OFFSET_MS = 11_644_473_600_000n;
/** accountExpires' "never" values. */
const NEVER = new Set(['0', '9223372036854775807']);

/** An AD FILETIME (100-nanosecond intervals since 1601-01-01 UTC) as a Date; undefined for 0/never. */
export function parseFileTime(text: string | undefined): Date | undefined {
  if (!text || NEVER.has(text) || !/^\d+$/.test(text)) return undefined;
  return new Date(Number(BigInt(text) / 10_000n - FILETIME_EPOCH_OFFSET_MS));
}

/** A Date as an AD FILETIME. */
export function toFileTime(date: Date): string {
  return String((BigInt(date.getTime()) + FILETIME_EPOCH_OFFSET_MS) * 10_000n);
}

/**
 * Status of an Active Directory user. AD computes LOCKOUT and PASSWORD_EXPIRED only in
 * msDS-User-Account-Control-Computed (the stored userAccountControl never carries them on a
 * domain controller), so that attribute is read when present; lockoutTime and pwdLastSet with the
 * domain's durations are the fallback. `maxPasswordAgeDays` and `lockoutMinutes` come from
 * configuration (0 or undefined: never expires / locked until unlocked).
 */
export function activeDirectoryStatus(
  entry: LdapEntry,
  now: Date,
  domain: { maxPasswordAgeDays?: number; lockoutMinutes?: number } = {},
): AccountStatus {
  const uac = Number(attr(entry, 'userAccountControl') ?? 0);
  const computedText = attr(entry, 'msDS-User-Account-Control-Computed');
  const computed = computedText === undefined ? undefined : Number(computedText);
  const pwdLastSet = attr(entry, 'pwdLastSet');
  const passwordChangedAt = parseFileTime(pwdLastSet);
  const lockoutTime = parseFileTime(attr(entry, 'lockoutTime'));
  const accountExpires = parseFileTime(attr(entry, 'accountExpires'));

  const lockedByTime =
    !!lockoutTime && (!domain.lockoutMinutes || lockoutTime.getTime() + domain.lockoutMinutes * 60_000 > now.getTime());
  const neverExpires = (uac & UAC.DONT_EXPIRE_PASSWORD) !== 0;
  const expiredByAge =
    !neverExpires &&
    !!domain.maxPasswordAgeDays &&
    !!passwordChangedAt &&
    passwordChangedAt.getTime() + domain.maxPasswordAgeDays * 86_400_000 <= now.getTime();
  return {
    locked: computed === undefined ? lockedByTime : (computed & UAC.LOCKOUT) !== 0,
    disabled: (uac & UAC.ACCOUNTDISABLE) !== 0 || (!!accountExpires && accountExpires.getTime() <= now.getTime()),
    passwordExpired: computed === undefined ? expiredByAge : (computed & UAC.PASSWORD_EXPIRED) !== 0,
    mustChangePassword: pwdLastSet === '0',
    ...(passwordChangedAt ? { passwordChangedAt } : {}),
  };
}

/**
 * The value AD's unicodePwd wants: the password in double quotes, encoded UTF-16LE. AD accepts it
 * only over an encrypted connection (LDAPS or StartTLS).
 */
export function encodeUnicodePwd(password: string): Buffer {
  return Buffer.from(`"${password}"`, 'utf16le');
}

/** Escapes a value for an LDAP search filter (RFC 4515). */
export function escapeFilterValue(value: string): string {
  return value.replace(/[\\*()\0]/g, (c) => `\\${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}
