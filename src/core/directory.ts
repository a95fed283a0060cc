/**
 * The account directory port: what Guichet's first-level actions need from the company directory
 * (OpenLDAP, Active Directory, Microsoft Entra ID). Every operation answers a value: a directory
 * that is down or says no is an expected outcome (`DirectoryResult` with `ok: false`), never a
 * thrown error, so a caller can always tell the person what happened and nothing is half done.
 *
 * Accounts and groups are named by the directory's own stable id (an LDAP DN, an Entra object id);
 * groups also carry their display name, which is what policies (config/directory-actions.yml) name.
 */

/**
 * The person row that stands for Guichet's automation: it resolves the requests the directory actions
 * fulfilled, and analytics counts a conversation whose ticket it resolved as resolved at first level
 * (self-service), not as an escalation.
 */
export const AUTOMATION_ACTOR = { id: 'guichet-automation', displayName: 'Guichet (automatisation)' } as const;

/** How a chat platform identified the person, narrowed to what a directory can look up. */
export type DirectoryKey =
  /** Entra ID object id (Teams gives it as `aadObjectId`). */
  | { kind: 'object-id'; value: string }
  /** A verified e-mail address (Slack profile, OIDC `email` with `email_verified`). */
  | { kind: 'email'; value: string }
  /** A login name (LDAP uid / AD sAMAccountName / Entra userPrincipalName). */
  | { kind: 'login'; value: string };

export interface DirectoryGroup {
  id: string;
  name: string;
}

export interface DirectoryAccount {
  id: string;
  login: string;
  displayName: string;
  /** Work e-mail. */
  email?: string;
  /** A second channel registered in the directory for one-time codes (a personal e-mail). */
  recoveryEmail?: string;
  managerId?: string;
  groups: DirectoryGroup[];
  /** The directory itself marks the account as privileged (AD adminCount=1). */
  privileged: boolean;
}

export interface AccountStatus {
  locked: boolean;
  passwordExpired: boolean;
  disabled: boolean;
  /** The person must choose a new password at next sign-in. */
  mustChangePassword: boolean;
  /** When the password was last set; undefined when the directory does not say. */
  passwordChangedAt?: Date;
}

/** Why a directory operation did not happen. */
export type DirectoryFailureReason =
  /** The directory could not be reached (network, timeout, bind failed for the service account). */
  | 'unreachable'
  /** No such account or group. */
  | 'not-found'
  /** The directory refused (rights, constraint). */
  | 'refused'
  /** The directory's password policy refused the new password (too short, in history, …). */
  | 'password-policy'
  /** This directory cannot do that (Entra ID has no readable lockout state). */
  | 'unsupported';

export type DirectoryResult<T> =
  | { ok: true; value: T }
  | { ok: false; reason: DirectoryFailureReason; detail: string };

export const succeed = <T>(value: T): DirectoryResult<T> => ({ ok: true, value });
export const fail = <T = never>(reason: DirectoryFailureReason, detail: string): DirectoryResult<T> => ({
  ok: false,
  reason,
  detail,
});

export interface AccountDirectory {
  /** Every entry matching `key`; the caller refuses unless there is exactly one. */
  find(key: DirectoryKey): Promise<DirectoryResult<DirectoryAccount[]>>;
  /** One account by id, its groups included. */
  account(id: string): Promise<DirectoryResult<DirectoryAccount>>;
  /** The account's manager, or null when none is recorded. */
  manager(id: string): Promise<DirectoryResult<DirectoryAccount | null>>;
  status(id: string): Promise<DirectoryResult<AccountStatus>>;
  /** Clears a lockout caused by failed sign-ins. */
  unlock(id: string): Promise<DirectoryResult<void>>;
  /** A group by its display name (the name policies use); not-found when there is none. */
  findGroup(name: string): Promise<DirectoryResult<DirectoryGroup>>;
  /** Sets a new password as the directory administrator, so the directory's own policy judges it. */
  setPassword(id: string, password: string): Promise<DirectoryResult<void>>;
  /** Removes the registered MFA methods and ends sessions, so the person registers again. */
  requireMfaReRegistration(id: string): Promise<DirectoryResult<void>>;
  addToGroup(id: string, groupId: string): Promise<DirectoryResult<void>>;
  removeFromGroup(id: string, groupId: string): Promise<DirectoryResult<void>>;
}

/** A person as the in-memory directory keeps them. */
export interface MemoryAccount extends DirectoryAccount {
  objectId?: string;
  status: AccountStatus;
  password?: string;
  mfaMethods: string[];
}

/**
 * An in-memory directory for unit tests, the terminal chat and demos. Not for deployment: nothing is
 * real, passwords are kept in clear, and its password policy is a stand-in (at least 12 characters).
 * Set `unreachable` to simulate a directory that is down.
 */
export class MemoryAccountDirectory implements AccountDirectory {
  readonly accounts = new Map<string, MemoryAccount>();
  readonly groups = new Map<string, DirectoryGroup>();
  unreachable = false;

  constructor(accounts: MemoryAccount[] = [], groups: DirectoryGroup[] = []) {
    for (const group of groups) this.groups.set(group.id, group);
    for (const account of accounts) this.accounts.set(account.id, structuredClone(account));
  }

  async find(key: DirectoryKey): Promise<DirectoryResult<DirectoryAccount[]>> {
    return this.reach(() => {
      const wanted = key.value.toLowerCase();
      const matches = [...this.accounts.values()].filter((a) => {
        if (key.kind === 'object-id') return a.objectId === key.value;
        if (key.kind === 'email') return a.email?.toLowerCase() === wanted;
        return a.login.toLowerCase() === wanted;
      });
      return succeed(matches.map(publicView));
    });
  }

  async findGroup(name: string): Promise<DirectoryResult<DirectoryGroup>> {
    return this.reach(() => {
      const group = [...this.groups.values()].find((g) => g.name.toLowerCase() === name.toLowerCase());
      return group ? succeed({ ...group }) : fail('not-found', `memory directory: no group "${name}"`);
    });
  }

  async account(id: string): Promise<DirectoryResult<DirectoryAccount>> {
    return this.withAccount(id, (a) => succeed(publicView(a)));
  }

  async manager(id: string): Promise<DirectoryResult<DirectoryAccount | null>> {
    return this.withAccount(id, (a) => {
      const manager = a.managerId ? this.accounts.get(a.managerId) : undefined;
      return succeed(manager ? publicView(manager) : null);
    });
  }

  async status(id: string): Promise<DirectoryResult<AccountStatus>> {
    return this.withAccount(id, (a) => succeed({ ...a.status }));
  }

  async unlock(id: string): Promise<DirectoryResult<void>> {
    return this.withAccount(id, (a) => {
      if (a.status.disabled) return fail('refused', `memory directory: "${id}" is disabled, not locked`);
      a.status.locked = false;
      return succeed(undefined);
    });
  }

  async setPassword(id: string, password: string): Promise<DirectoryResult<void>> {
    return this.withAccount(id, (a) => {
      if (password.length < 12) return fail('password-policy', 'memory directory: password shorter than 12 characters');
      a.password = password;
      a.status = { ...a.status, passwordExpired: false, mustChangePassword: false, locked: false, passwordChangedAt: new Date() };
      return succeed(undefined);
    });
  }

  async requireMfaReRegistration(id: string): Promise<DirectoryResult<void>> {
    return this.withAccount(id, (a) => {
      a.mfaMethods = [];
      return succeed(undefined);
    });
  }

  async addToGroup(id: string, groupId: string): Promise<DirectoryResult<void>> {
    return this.withGroup(id, groupId, (a, group) => {
      if (!a.groups.some((g) => g.id === groupId)) a.groups.push(group);
      return succeed(undefined);
    });
  }

  async removeFromGroup(id: string, groupId: string): Promise<DirectoryResult<void>> {
    return this.withGroup(id, groupId, (a) => {
      a.groups = a.groups.filter((g) => g.id !== groupId);
      return succeed(undefined);
    });
  }

  private reach<T>(run: () => DirectoryResult<T>): DirectoryResult<T> {
    return this.unreachable ? fail('unreachable', 'memory directory: marked unreachable') : run();
  }

  private withAccount<T>(id: string, run: (a: MemoryAccount) => DirectoryResult<T>): Promise<DirectoryResult<T>> {
    return Promise.resolve(
      this.reach(() => {
        const account = this.accounts.get(id);
        return account ? run(account) : fail('not-found', `memory directory: no account "${id}"`);
      }),
    );
  }

  private withGroup(id: string, groupId: string, run: (a: MemoryAccount, g: DirectoryGroup) => DirectoryResult<void>) {
    return this.withAccount(id, (a) => {
      const group = this.groups.get(groupId);
      return group ? run(a, group) : fail('not-found', `memory directory: no group "${groupId}"`);
    });
  }
}

function publicView(a: MemoryAccount): DirectoryAccount {
  const { objectId: _o, status: _s, password: _p, mfaMethods: _m, ...account } = structuredClone(a);
  return account;
}
