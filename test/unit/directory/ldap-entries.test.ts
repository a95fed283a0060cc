import { describe, expect, it } from 'vitest';
import {
  activeDirectoryStatus,
  attr,
  encodeUnicodePwd,
  escapeFilterValue,
  OPENLDAP_ADMIN_LOCK,
  openLdapStatus,
  parseFileTime,
  parseGeneralizedTime,
  toFileTime,
} from '../../../src/directory/ldap-entries.ts';
import * as ad from './fixtures/ad-entries.ts';

const now = ad.RECORDED_AT;

describe('Active Directory entries (recorded)', () => {
  it('reads a normal account, with the password date from pwdLastSet', () => {
    expect(activeDirectoryStatus(ad.active, now, ad.DOMAIN)).toEqual({
      locked: false,
      disabled: false,
      passwordExpired: false,
      mustChangePassword: false,
      passwordChangedAt: new Date('2026-11-20T08:00:00Z'),
    });
  });

  it('reads LOCKOUT from msDS-User-Account-Control-Computed', () => {
    expect(activeDirectoryStatus(ad.lockedOut, now, ad.DOMAIN).locked).toBe(true);
  });

  it('falls back to lockoutTime and the lockout duration without the computed attribute', () => {
    expect(activeDirectoryStatus(ad.lockedOutWithoutComputed, now, ad.DOMAIN).locked).toBe(true);
    const later = new Date('2026-12-06T09:20:00Z');
    expect(activeDirectoryStatus(ad.lockedOutWithoutComputed, later, ad.DOMAIN).locked).toBe(false);
    expect(activeDirectoryStatus(ad.lockedOutWithoutComputed, later, {}).locked).toBe(true);
  });

  it('reads ACCOUNTDISABLE and an expired accountExpires as disabled', () => {
    expect(activeDirectoryStatus(ad.disabled, now, ad.DOMAIN).disabled).toBe(true);
    expect(activeDirectoryStatus(ad.accountExpired, now, ad.DOMAIN).disabled).toBe(true);
  });

  it('reads PASSWORD_EXPIRED, and DONT_EXPIRE_PASSWORD wins over the age', () => {
    expect(activeDirectoryStatus(ad.passwordExpired, now, ad.DOMAIN).passwordExpired).toBe(true);
    expect(activeDirectoryStatus(ad.passwordNeverExpires, now, ad.DOMAIN).passwordExpired).toBe(false);
  });

  it('reads pwdLastSet=0 as "must change at next logon"', () => {
    const status = activeDirectoryStatus(ad.mustChange, now, ad.DOMAIN);
    expect(status.mustChangePassword).toBe(true);
    expect(status.passwordChangedAt).toBeUndefined();
  });

  it('converts FILETIME both ways and treats 0 and the maximum as never', () => {
    expect(parseFileTime('134410185000000000')).toEqual(new Date('2026-12-06T08:15:00Z'));
    expect(toFileTime(new Date('2026-12-06T08:15:00Z'))).toBe('134410185000000000');
    expect(parseFileTime('0')).toBeUndefined();
    expect(parseFileTime('9223372036854775807')).toBeUndefined();
  });

  it('encodes unicodePwd as the quoted password in UTF-16LE', () => {
    expect(encodeUnicodePwd('Pa$$é1')).toEqual(Buffer.from([0x22, 0, 0x50, 0, 0x61, 0, 0x24, 0, 0x24, 0, 0xe9, 0, 0x31, 0, 0x22, 0]));
  });

  it('reads attributes case-insensitively', () => {
    expect(attr(ad.admin, 'ADMINCOUNT')).toBe('1');
    expect(attr(ad.active, 'samaccountname')).toBe('amartin');
  });
});

describe('OpenLDAP ppolicy entries', () => {
  const entry = { dn: 'uid=x,dc=example,dc=org', pwdChangedTime: '20261201090000Z' };
  const ninetyDays = 90 * 86_400;

  it('reads a lockout after failed binds as locked, the administrative lock as disabled', () => {
    expect(openLdapStatus({ ...entry, pwdAccountLockedTime: '20261206081500Z' }, ninetyDays, now)).toMatchObject({ locked: true, disabled: false });
    expect(openLdapStatus({ ...entry, pwdAccountLockedTime: OPENLDAP_ADMIN_LOCK }, ninetyDays, now)).toMatchObject({ locked: false, disabled: true });
  });

  it('expires a password older than pwdMaxAge, never with pwdMaxAge 0', () => {
    const old = { ...entry, pwdChangedTime: '20200101000000Z' };
    expect(openLdapStatus(old, ninetyDays, now).passwordExpired).toBe(true);
    expect(openLdapStatus(old, 0, now).passwordExpired).toBe(false);
    expect(openLdapStatus(entry, ninetyDays, now).passwordExpired).toBe(false);
  });

  it('reads pwdReset as "must change"', () => {
    expect(openLdapStatus({ ...entry, pwdReset: 'TRUE' }, ninetyDays, now).mustChangePassword).toBe(true);
  });

  it('parses GeneralizedTime, with or without fractions', () => {
    expect(parseGeneralizedTime('20261206081500Z')).toEqual(new Date('2026-12-06T08:15:00Z'));
    expect(parseGeneralizedTime('20261206081500.123456Z')).toEqual(new Date('2026-12-06T08:15:00Z'));
    expect(parseGeneralizedTime('yesterday')).toBeUndefined();
  });
});

describe('LDAP filters', () => {
  it('escapes the characters RFC 4515 reserves', () => {
    expect(escapeFilterValue('a*b(c)d\\e')).toBe('a\\2ab\\28c\\29d\\5ce');
  });
});
