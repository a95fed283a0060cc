/**
 * The AccountDirectory over LDAP (ldapts): OpenLDAP with the ppolicy overlay, or Active Directory.
 * Only translates: each operation binds as the service account, reads or modifies entries, and turns
 * LDAP result codes into `DirectoryResult` values (unreachable, not found, refused, password policy).
 * Account and group ids are DNs.
 */
import { Attribute, Change, Client, ResultCodeError } from 'ldapts';
import { fail, succeed } from '../core/directory.ts';
import type { AccountDirectory, AccountStatus, DirectoryAccount, DirectoryGroup, DirectoryKey, DirectoryResult } from '../core/directory.ts';
import { activeDirectoryStatus, attr, encodeUnicodePwd, escapeFilterValue, openLdapStatus, type LdapEntry } from './ldap-entries.ts';

export interface LdapDirectoryOptions {
  url: string;
  bindDn: string;
  bindPassword: string;
  baseDn: string;
  flavour: 'openldap' | 'active-directory';
  /** Attribute holding the Entra object id (Teams' aadObjectId); unset: such look-ups are unsupported. */
  objectIdAttribute?: string;
  /** Attribute holding the second channel for one-time codes (default otherMailbox). */
  recoveryEmailAttribute?: string;
  /** OpenLDAP: the policy entry whose pwdMaxAge (seconds) says when passwords expire. */
  passwordPolicyDn?: string;
  /** Active Directory: the domain's maximum password age (days) and lockout duration (minutes). */
  maxPasswordAgeDays?: number;
  lockoutMinutes?: number;
  /** Connect and operation timeout, milliseconds (default 5000). */
  timeoutMs?: number;
  now?: () => Date;
}

/** LDAP result codes Guichet tells apart (RFC 4511). */
const NO_SUCH_ATTRIBUTE = 16;
const CONSTRAINT_VIOLATION = 19;
const VALUE_EXISTS = 20;
const NO_SUCH_OBJECT = 32;
const INVALID_CREDENTIALS = 49;
const INSUFFICIENT_ACCESS = 50;

export class LdapDirectory implements AccountDirectory {
  private readonly ad: boolean;
  private readonly names: { login: string; display: string; person: string; group: string };

  constructor(private readonly options: LdapDirectoryOptions) {
    this.ad = options.flavour === 'active-directory';
    this.names = this.ad
      ? { login: 'sAMAccountName', display: 'displayName', person: '(&(objectClass=user)(objectCategory=person))', group: 'group' }
      : { login: 'uid', display: 'cn', person: '(objectClass=inetOrgPerson)', group: 'groupOfNames' };
  }

  async find(key: DirectoryKey): Promise<DirectoryResult<DirectoryAccount[]>> {
    const value = escapeFilterValue(key.value);
    let match: string;
    if (key.kind === 'object-id') {
      if (!this.options.objectIdAttribute) return fail('unsupported', 'ldap directory: LDAP_OBJECT_ID_ATTRIBUTE is not set');
      match = `(${this.options.objectIdAttribute}=${value})`;
    } else if (key.kind === 'email') {
      match = this.ad ? `(|(mail=${value})(userPrincipalName=${value}))` : `(mail=${value})`;
    } else {
      match = `(${this.names.login}=${value})`;
    }
    return this.session(async (client) => {
      const entries = await this.people(client, `(&${this.names.person}${match})`);
      return succeed(await Promise.all(entries.map((e) => this.toAccount(client, e))));
    });
  }

  async account(id: string): Promise<DirectoryResult<DirectoryAccount>> {
    return this.session(async (client) => succeed(await this.toAccount(client, await this.entry(client, id))));
  }

  async findGroup(name: string): Promise<DirectoryResult<DirectoryGroup>> {
    return this.session(async (client) => {
      const { searchEntries } = await client.search(this.options.baseDn, {
        scope: 'sub',
        filter: `(&(objectClass=${this.names.group})(cn=${escapeFilterValue(name)}))`,
        attributes: ['cn'],
      });
      const [group] = searchEntries as LdapEntry[];
      if (!group) return fail('not-found', `ldap directory: no group named "${name}" under ${this.options.baseDn}`);
      return succeed({ id: group.dn, name: attr(group, 'cn') ?? name });
    });
  }

  async manager(id: string): Promise<DirectoryResult<DirectoryAccount | null>> {
    return this.session(async (client) => {
      const managerDn = attr(await this.entry(client, id), 'manager');
      return succeed(managerDn ? await this.toAccount(client, await this.entry(client, managerDn)) : null);
    });
  }

  async status(id: string): Promise<DirectoryResult<AccountStatus>> {
    return this.session(async (client) => succeed(await this.readStatus(client, id)));
  }

  async unlock(id: string): Promise<DirectoryResult<void>> {
    return this.session(async (client) => {
      const status = await this.readStatus(client, id);
      if (status.disabled) return fail('refused', `ldap directory: "${id}" is disabled, not locked; unlocking would enable it`);
      if (!status.locked) return succeed(undefined);
      const change = this.ad
        ? new Change({ operation: 'replace', modification: new Attribute({ type: 'lockoutTime', values: ['0'] }) })
        : new Change({ operation: 'delete', modification: new Attribute({ type: 'pwdAccountLockedTime' }) });
      await tolerate(client.modify(id, change), NO_SUCH_ATTRIBUTE);
      return succeed(undefined);
    });
  }

  async setPassword(id: string, password: string): Promise<DirectoryResult<void>> {
    if (this.ad && !this.options.url.startsWith('ldaps://')) {
      return fail('refused', 'ldap directory: Active Directory sets unicodePwd over ldaps:// only; LDAP_URL is not ldaps://');
    }
    const modification = this.ad
      ? new Attribute({ type: 'unicodePwd', values: [encodeUnicodePwd(password)] })
      : new Attribute({ type: 'userPassword', values: [password] });
    return this.session(async (client) => {
      await client.modify(id, new Change({ operation: 'replace', modification }));
      return succeed(undefined);
    });
  }

  async requireMfaReRegistration(): Promise<DirectoryResult<void>> {
    return fail('unsupported', 'ldap directory: MFA methods are not kept in LDAP (use the Graph directory for Entra ID)');
  }

  async addToGroup(id: string, groupId: string): Promise<DirectoryResult<void>> {
    return this.member(groupId, id, 'add', VALUE_EXISTS);
  }

  async removeFromGroup(id: string, groupId: string): Promise<DirectoryResult<void>> {
    return this.member(groupId, id, 'delete', NO_SUCH_ATTRIBUTE);
  }

  private async member(groupId: string, id: string, operation: 'add' | 'delete', alreadyDone: number) {
    return this.session(async (client) => {
      await this.entry(client, id);
      const change = new Change({ operation, modification: new Attribute({ type: 'member', values: [id] }) });
      await tolerate(client.modify(groupId, change), alreadyDone);
      return succeed(undefined);
    });
  }

  private async readStatus(client: Client, id: string): Promise<AccountStatus> {
    const entry = await this.entry(client, id, ['*', '+', 'msDS-User-Account-Control-Computed']);
    const now = this.options.now?.() ?? new Date();
    if (this.ad) return activeDirectoryStatus(entry, now, this.options);
    const policyDn = attr(entry, 'pwdPolicySubentry') ?? this.options.passwordPolicyDn;
    const maxAge = policyDn ? Number(attr(await this.entry(client, policyDn), 'pwdMaxAge') ?? 0) : 0;
    return openLdapStatus(entry, maxAge, now);
  }

  private async toAccount(client: Client, entry: LdapEntry): Promise<DirectoryAccount> {
    const { searchEntries } = await client.search(this.options.baseDn, {
      scope: 'sub',
      filter: `(&(objectClass=${this.names.group})(member=${escapeFilterValue(entry.dn)}))`,
      attributes: ['cn'],
      ...this.paging(),
    });
    const recovery = attr(entry, this.options.recoveryEmailAttribute ?? 'otherMailbox');
    const email = attr(entry, 'mail');
    const managerId = attr(entry, 'manager');
    return {
      id: entry.dn,
      login: attr(entry, this.names.login) ?? entry.dn,
      displayName: attr(entry, this.names.display) ?? attr(entry, 'cn') ?? entry.dn,
      ...(email ? { email } : {}),
      ...(recovery ? { recoveryEmail: recovery } : {}),
      ...(managerId ? { managerId } : {}),
      groups: searchEntries.map((g) => ({ id: g.dn, name: attr(g as LdapEntry, 'cn') ?? g.dn })),
      privileged: attr(entry, 'adminCount') === '1',
    };
  }

  private async people(client: Client, filter: string): Promise<LdapEntry[]> {
    const { searchEntries } = await client.search(this.options.baseDn, { scope: 'sub', filter, ...this.paging() });
    return searchEntries as LdapEntry[];
  }

  /**
   * Active Directory answers at most MaxPageSize (1000) entries to a search without Microsoft's
   * paged-results control; with it, ldapts fetches every page.
   */
  private paging(): { paged?: { pageSize: number } } {
    return this.ad ? { paged: { pageSize: 500 } } : {};
  }

  private async entry(client: Client, dn: string, attributes: string[] = ['*']): Promise<LdapEntry> {
    const { searchEntries } = await client.search(dn, { scope: 'base', filter: '(objectClass=*)', attributes });
    const [entry] = searchEntries;
    if (!entry) throw new NotFound(dn);
    return entry as LdapEntry;
  }

  /** Runs `work` on a bound connection; every LDAP failure becomes a DirectoryResult. */
  private async session<T>(work: (client: Client) => Promise<DirectoryResult<T>>): Promise<DirectoryResult<T>> {
    const timeout = this.options.timeoutMs ?? 5000;
    const client = new Client({ url: this.options.url, timeout, connectTimeout: timeout });
    try {
      try {
        await client.bind(this.options.bindDn, this.options.bindPassword);
      } catch (error) {
        return fail('unreachable', `ldap directory: cannot bind to ${this.options.url} as "${this.options.bindDn}": ${message(error)}`);
      }
      return await work(client);
    } catch (error) {
      return translate(error);
    } finally {
      await client.unbind().catch(() => undefined); // the connection may already be gone; nothing to undo
    }
  }
}

class NotFound extends Error {
  constructor(readonly dn: string) {
    super(`ldap directory: no entry "${dn}"`);
  }
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** `modify` where the result code `code` means the change is already in place. */
async function tolerate(operation: Promise<void>, code: number): Promise<void> {
  try {
    await operation;
  } catch (error) {
    if (!(error instanceof ResultCodeError && error.code === code)) throw error;
  }
}

function translate<T>(error: unknown): DirectoryResult<T> {
  if (error instanceof NotFound) return fail('not-found', error.message);
  if (!(error instanceof ResultCodeError)) return fail('unreachable', `ldap directory: ${message(error)}`);
  const detail = `ldap directory: ${message(error)} (LDAP result ${error.code})`;
  if (error.code === NO_SUCH_OBJECT) return fail('not-found', detail);
  if (error.code === CONSTRAINT_VIOLATION) return fail('password-policy', detail);
  if (error.code === INVALID_CREDENTIALS) return fail('unreachable', detail);
  if (error.code === INSUFFICIENT_ACCESS) return fail('refused', detail);
  return fail('refused', detail);
}
