/**
 * The AccountDirectory over Microsoft Graph v1.0 (Entra ID), with Node's fetch and an app-only token
 * (OAuth 2.0 client credentials). Only translates: Graph resources to DirectoryAccount and
 * AccountStatus, Graph errors to DirectoryResult values. Base URLs come from configuration
 * (GRAPH_AUTHORITY_URL, GRAPH_API_URL), so tests point it at test/helpers/fake-graph.ts.
 *
 * Entra ID keeps no lockout state that Graph can read or clear (smart lockout expires by itself), so
 * `unlock` answers `unsupported` and `status().locked` is always false.
 */
import { fail, succeed } from '../core/directory.ts';
import type { AccountDirectory, AccountStatus, DirectoryAccount, DirectoryGroup, DirectoryKey, DirectoryResult } from '../core/directory.ts';

export interface GraphDirectoryOptions {
  tenantId: string;
  clientId: string;
  clientSecret: string;
  /** Token authority, e.g. the Entra login host; the token endpoint is {authority}/{tenant}/oauth2/v2.0/token. */
  authorityUrl: string;
  /** Graph API root with its version, e.g. the Graph host followed by /v1.0. */
  apiUrl: string;
  /** Days a password lasts (the tenant's password expiration policy); unset: passwords never expire. */
  maxPasswordAgeDays?: number;
  timeoutMs?: number;
  now?: () => Date;
}

interface GraphUser {
  id: string;
  displayName?: string | null;
  userPrincipalName?: string | null;
  mail?: string | null;
  otherMails?: string[];
  accountEnabled?: boolean;
  lastPasswordChangeDateTime?: string | null;
  passwordPolicies?: string | null;
}

const USER_FIELDS = 'id,displayName,userPrincipalName,mail,otherMails,accountEnabled,lastPasswordChangeDateTime,passwordPolicies';

/** Authentication method types (@odata.type) and the collection that deletes each; password stays. */
const METHOD_COLLECTIONS: Record<string, string> = {
  '#microsoft.graph.microsoftAuthenticatorAuthenticationMethod': 'microsoftAuthenticatorMethods',
  '#microsoft.graph.phoneAuthenticationMethod': 'phoneMethods',
  '#microsoft.graph.fido2AuthenticationMethod': 'fido2Methods',
  '#microsoft.graph.softwareOathAuthenticationMethod': 'softwareOathMethods',
  '#microsoft.graph.emailAuthenticationMethod': 'emailMethods',
  '#microsoft.graph.windowsHelloForBusinessAuthenticationMethod': 'windowsHelloForBusinessMethods',
  '#microsoft.graph.temporaryAccessPassAuthenticationMethod': 'temporaryAccessPassMethods',
};

/** A Graph call that did not succeed, already translated. */
class GraphFailure extends Error {
  constructor(readonly result: DirectoryResult<never>) {
    super(result.ok ? '' : result.detail);
  }
}

export class GraphDirectory implements AccountDirectory {
  private token?: { value: string; expiresAt: number };

  constructor(private readonly options: GraphDirectoryOptions) {}

  async find(key: DirectoryKey): Promise<DirectoryResult<DirectoryAccount[]>> {
    return this.guard(async () => {
      if (key.kind === 'object-id') {
        const user = await this.call<GraphUser>('GET', `/users/${encodeURIComponent(key.value)}?$select=${USER_FIELDS}`, undefined, true);
        return user ? [await this.toAccount(user)] : [];
      }
      const quoted = `'${key.value.replace(/'/g, "''")}'`;
      const filter = key.kind === 'email' ? `mail eq ${quoted} or userPrincipalName eq ${quoted}` : `userPrincipalName eq ${quoted}`;
      const page = await this.call<{ value: GraphUser[] }>('GET', `/users?$filter=${encodeURIComponent(filter)}&$select=${USER_FIELDS}`);
      return Promise.all((page?.value ?? []).map((u) => this.toAccount(u)));
    });
  }

  async account(id: string): Promise<DirectoryResult<DirectoryAccount>> {
    return this.guard(async () => this.toAccount(await this.user(id)));
  }

  async findGroup(name: string): Promise<DirectoryResult<DirectoryGroup>> {
    return this.guard(async () => {
      const filter = `displayName eq '${name.replace(/'/g, "''")}'`;
      const page = await this.call<{ value: { id: string; displayName: string }[] }>('GET', `/groups?$filter=${encodeURIComponent(filter)}&$select=id,displayName`);
      const [group] = page?.value ?? [];
      if (!group) throw new GraphFailure(fail('not-found', `graph directory: no group named "${name}"`));
      return { id: group.id, name: group.displayName };
    });
  }

  async manager(id: string): Promise<DirectoryResult<DirectoryAccount | null>> {
    return this.guard(async () => {
      await this.user(id);
      const manager = await this.call<GraphUser>('GET', `/users/${encodeURIComponent(id)}/manager?$select=${USER_FIELDS}`, undefined, true);
      return manager ? this.toAccount(manager) : null;
    });
  }

  async status(id: string): Promise<DirectoryResult<AccountStatus>> {
    return this.guard(async () => {
      const user = await this.user(id);
      const changed = user.lastPasswordChangeDateTime ? new Date(user.lastPasswordChangeDateTime) : undefined;
      const maxDays = this.options.maxPasswordAgeDays;
      const neverExpires = (user.passwordPolicies ?? '').includes('DisablePasswordExpiration');
      const now = this.options.now?.() ?? new Date();
      return {
        locked: false,
        disabled: user.accountEnabled === false,
        passwordExpired: !neverExpires && !!maxDays && !!changed && changed.getTime() + maxDays * 86_400_000 <= now.getTime(),
        mustChangePassword: false,
        ...(changed ? { passwordChangedAt: changed } : {}),
      };
    });
  }

  async unlock(): Promise<DirectoryResult<void>> {
    return fail('unsupported', 'graph directory: Entra ID lockouts cannot be read or cleared through Graph; they expire by themselves');
  }

  async setPassword(id: string, password: string): Promise<DirectoryResult<void>> {
    return this.guard(async () => {
      const body = { passwordProfile: { password, forceChangePasswordNextSignIn: false } };
      await this.call('PATCH', `/users/${encodeURIComponent(id)}`, body);
    });
  }

  async requireMfaReRegistration(id: string): Promise<DirectoryResult<void>> {
    return this.guard(async () => {
      const user = `/users/${encodeURIComponent(id)}`;
      const methods = await this.call<{ value: { id: string; '@odata.type': string }[] }>('GET', `${user}/authentication/methods`);
      for (const method of methods?.value ?? []) {
        const collection = METHOD_COLLECTIONS[method['@odata.type']];
        if (collection) await this.call('DELETE', `${user}/authentication/${collection}/${encodeURIComponent(method.id)}`);
      }
      // Ends refresh tokens and sessions, so nobody stays signed in with a method just removed.
      await this.call('POST', `${user}/revokeSignInSessions`);
    });
  }

  async addToGroup(id: string, groupId: string): Promise<DirectoryResult<void>> {
    return this.guard(async () => {
      const account = await this.toAccount(await this.user(id));
      if (account.groups.some((g) => g.id === groupId)) return;
      const body = { '@odata.id': `${this.options.apiUrl}/directoryObjects/${id}` };
      await this.call('POST', `/groups/${encodeURIComponent(groupId)}/members/$ref`, body);
    });
  }

  async removeFromGroup(id: string, groupId: string): Promise<DirectoryResult<void>> {
    return this.guard(async () => {
      const account = await this.toAccount(await this.user(id));
      if (!account.groups.some((g) => g.id === groupId)) return;
      await this.call('DELETE', `/groups/${encodeURIComponent(groupId)}/members/${encodeURIComponent(id)}/$ref`);
    });
  }

  private async user(id: string): Promise<GraphUser> {
    const user = await this.call<GraphUser>('GET', `/users/${encodeURIComponent(id)}?$select=${USER_FIELDS}`, undefined, true);
    if (!user) throw new GraphFailure(fail('not-found', `graph directory: no user "${id}"`));
    return user;
  }

  private async toAccount(user: GraphUser): Promise<DirectoryAccount> {
    const memberOf = await this.call<{ value: { id: string; '@odata.type': string; displayName?: string }[] }>(
      'GET',
      `/users/${encodeURIComponent(user.id)}/memberOf?$select=id,displayName`,
    );
    const groups = (memberOf?.value ?? [])
      .filter((o) => o['@odata.type'] === '#microsoft.graph.group')
      .map((g) => ({ id: g.id, name: g.displayName ?? g.id }));
    const manager = await this.call<GraphUser>('GET', `/users/${encodeURIComponent(user.id)}/manager?$select=id`, undefined, true);
    const recovery = user.otherMails?.[0];
    return {
      id: user.id,
      login: user.userPrincipalName ?? user.id,
      displayName: user.displayName ?? user.userPrincipalName ?? user.id,
      ...(user.mail ? { email: user.mail } : {}),
      ...(recovery ? { recoveryEmail: recovery } : {}),
      ...(manager ? { managerId: manager.id } : {}),
      groups,
      // Holding any Entra directory role (Global Administrator, Helpdesk Administrator, …) is privileged.
      privileged: (memberOf?.value ?? []).some((o) => o['@odata.type'] === '#microsoft.graph.directoryRole'),
    };
  }

  /** Runs `work`; a GraphFailure or a network error becomes a DirectoryResult. */
  private async guard<T>(work: () => Promise<T>): Promise<DirectoryResult<T>> {
    try {
      return succeed(await work());
    } catch (error) {
      if (error instanceof GraphFailure) return error.result;
      return fail('unreachable', `graph directory: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /** One Graph request; `nullOn404` answers null for a missing resource instead of failing. */
  private async call<T = unknown>(method: string, path: string, body?: unknown, nullOn404 = false): Promise<T | null> {
    const token = await this.accessToken();
    const response = await this.fetch(`${this.options.apiUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    if (response.status === 404 && nullOn404) return null;
    if (!response.ok) throw new GraphFailure(await graphError(response, `${method} ${path.split('?')[0]}`));
    if (response.status === 204) return null;
    return (await response.json()) as T;
  }

  /** The app-only token, fetched by client credentials and reused until a minute before it expires. */
  private async accessToken(): Promise<string> {
    const now = Date.now();
    if (this.token && this.token.expiresAt > now + 60_000) return this.token.value;
    const { tenantId, clientId, clientSecret, authorityUrl, apiUrl } = this.options;
    const form = new URLSearchParams({
      client_id: clientId,
      client_secret: clientSecret,
      grant_type: 'client_credentials',
      scope: `${new URL(apiUrl).origin}/.default`,
    });
    const response = await this.fetch(`${authorityUrl}/${encodeURIComponent(tenantId)}/oauth2/v2.0/token`, { method: 'POST', body: form });
    const answer = (await response.json().catch(() => ({}))) as { access_token?: string; expires_in?: number; error?: string; error_description?: string };
    if (!response.ok || !answer.access_token) {
      const why = answer.error_description ?? answer.error ?? `HTTP ${response.status}`;
      throw new GraphFailure(fail('unreachable', `graph directory: no token for client "${clientId}": ${why}`));
    }
    this.token = { value: answer.access_token, expiresAt: now + (answer.expires_in ?? 0) * 1000 };
    return answer.access_token;
  }

  private fetch(url: string, init: RequestInit): Promise<Response> {
    return fetch(url, { ...init, signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000) });
  }
}

/** A Graph error answer ({ error: { code, message } }) as a DirectoryResult. */
async function graphError(response: Response, what: string): Promise<DirectoryResult<never>> {
  const body = (await response.json().catch(() => ({}))) as { error?: { code?: string; message?: string } };
  const detail = `graph directory: ${what} answered ${response.status} ${body.error?.code ?? ''}: ${body.error?.message ?? ''}`.trim();
  if (response.status === 404) return fail('not-found', detail);
  if (response.status === 400 && /password/i.test(body.error?.message ?? '')) return fail('password-policy', detail);
  if (response.status === 429 || response.status >= 500) return fail('unreachable', detail);
  return fail('refused', detail);
}
