/**
 * A fake Microsoft Graph v1.0 and Entra token endpoint on 127.0.0.1 (random port), answering as the
 * Graph reference describes: client-credentials token ({ token_type, expires_in, access_token }),
 * users with $select / $filter (mail, userPrincipalName), groups by displayName, manager (404 when none), memberOf (groups
 * and directory roles), PATCH passwordProfile (400 on a weak password), authentication/methods with
 * per-type DELETE collections, revokeSignInSessions ({ value: true }), group members/$ref (POST 204,
 * 400 when already a member; DELETE 204, 404 when not). Errors are { error: { code, message } }.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeGraphUser {
  id: string;
  displayName: string;
  userPrincipalName: string;
  mail?: string;
  otherMails?: string[];
  accountEnabled: boolean;
  lastPasswordChangeDateTime?: string;
  passwordPolicies?: string;
  managerId?: string;
  password?: string;
  methods: { id: string; '@odata.type': string }[];
  /** Directory roles held (privileged). */
  roles?: string[];
  revokedAt?: string;
}

export interface FakeGraphGroup {
  id: string;
  displayName: string;
  members: Set<string>;
}

export interface FakeGraph {
  authorityUrl: string;
  apiUrl: string;
  tenantId: string;
  clientId: string;
  clientSecret: string;
  users: Map<string, FakeGraphUser>;
  groups: Map<string, FakeGraphGroup>;
  requests: string[];
  /** Answer 503 to everything (a Graph outage). */
  down: boolean;
  close(): Promise<void>;
}

const METHOD_TYPES: Record<string, string> = {
  microsoftAuthenticatorMethods: '#microsoft.graph.microsoftAuthenticatorAuthenticationMethod',
  phoneMethods: '#microsoft.graph.phoneAuthenticationMethod',
  fido2Methods: '#microsoft.graph.fido2AuthenticationMethod',
  softwareOathMethods: '#microsoft.graph.softwareOathAuthenticationMethod',
  emailMethods: '#microsoft.graph.emailAuthenticationMethod',
  windowsHelloForBusinessMethods: '#microsoft.graph.windowsHelloForBusinessAuthenticationMethod',
  temporaryAccessPassMethods: '#microsoft.graph.temporaryAccessPassAuthenticationMethod',
};

type Answer = { status: number; body?: unknown };
const graphError = (status: number, code: string, message: string): Answer => ({ status, body: { error: { code, message, innerError: { 'request-id': randomUUID() } } } });
const notFound = (what: string) => graphError(404, 'Request_ResourceNotFound', `Resource '${what}' does not exist or one of its queried reference-property objects are not present.`);

export async function startFakeGraph(): Promise<FakeGraph> {
  const tokens = new Set<string>();
  const state = { down: false };
  const users = new Map<string, FakeGraphUser>();
  const groups = new Map<string, FakeGraphGroup>();
  const requests: string[] = [];
  const tenantId = randomUUID();
  const clientId = randomUUID();
  const clientSecret = 'fake-graph-secret';
  let apiUrl = '';

  const findUser = (idOrUpn: string) =>
    users.get(idOrUpn) ?? [...users.values()].find((u) => u.userPrincipalName.toLowerCase() === idOrUpn.toLowerCase());

  const view = (u: FakeGraphUser) => {
    const { password: _p, methods: _m, managerId: _g, roles: _r, revokedAt: _v, ...user } = u;
    return { '@odata.type': '#microsoft.graph.user', ...user };
  };

  function token(form: URLSearchParams): Answer {
    if (form.get('grant_type') !== 'client_credentials') return { status: 400, body: { error: 'unsupported_grant_type', error_description: 'AADSTS70003: grant type not supported' } };
    if (form.get('client_id') !== clientId || form.get('client_secret') !== clientSecret) {
      return { status: 401, body: { error: 'invalid_client', error_description: 'AADSTS7000215: Invalid client secret provided.' } };
    }
    if (!form.get('scope')?.endsWith('/.default')) return { status: 400, body: { error: 'invalid_scope', error_description: 'AADSTS1002012: scope must end with /.default' } };
    const accessToken = randomUUID();
    tokens.add(accessToken);
    return { status: 200, body: { token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599, access_token: accessToken } };
  }

  function filterUsers(filter: string): FakeGraphUser[] {
    const clauses = [...filter.matchAll(/(\w+) eq '((?:[^']|'')*)'/g)].map(([, field, value]) => [field!, value!.replace(/''/g, "'").toLowerCase()] as const);
    return [...users.values()].filter((u) => clauses.some(([field, value]) => String((u as unknown as Record<string, unknown>)[field] ?? '').toLowerCase() === value));
  }

  function api(method: string, path: string, query: URLSearchParams, body: Record<string, unknown>): Answer {
    const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
    if (parts[0] === 'users' && parts.length === 1 && method === 'GET') {
      return { status: 200, body: { '@odata.context': `${apiUrl}/$metadata#users`, value: filterUsers(query.get('$filter') ?? '').map(view) } };
    }
    if (parts[0] === 'users') {
      const user = findUser(parts[1] ?? '');
      if (!user) return notFound(parts[1] ?? '');
      const rest = parts.slice(2).join('/');
      if (rest === '' && method === 'GET') return { status: 200, body: view(user) };
      if (rest === '' && method === 'PATCH') return patchUser(user, body);
      if (rest === 'manager' && method === 'GET') {
        const manager = user.managerId ? users.get(user.managerId) : undefined;
        return manager ? { status: 200, body: view(manager) } : notFound('manager');
      }
      if (rest === 'memberOf' && method === 'GET') {
        const inGroups = [...groups.values()].filter((g) => g.members.has(user.id)).map((g) => ({ '@odata.type': '#microsoft.graph.group', id: g.id, displayName: g.displayName }));
        const roles = (user.roles ?? []).map((name) => ({ '@odata.type': '#microsoft.graph.directoryRole', id: randomUUID(), displayName: name }));
        return { status: 200, body: { value: [...inGroups, ...roles] } };
      }
      if (rest === 'authentication/methods' && method === 'GET') {
        const password = { '@odata.type': '#microsoft.graph.passwordAuthenticationMethod', id: '28c10230-6103-485e-b985-444c60001490', password: null };
        return { status: 200, body: { value: [password, ...user.methods] } };
      }
      if (parts[2] === 'authentication' && method === 'DELETE' && parts[3] && parts[4]) {
        const type = METHOD_TYPES[parts[3]];
        const index = user.methods.findIndex((m) => m.id === parts[4] && m['@odata.type'] === type);
        if (index < 0) return notFound(parts[4]);
        user.methods.splice(index, 1);
        return { status: 204 };
      }
      if (rest === 'revokeSignInSessions' && method === 'POST') {
        user.revokedAt = new Date().toISOString();
        return { status: 200, body: { '@odata.context': `${apiUrl}/$metadata#Edm.Boolean`, value: true } };
      }
    }
    if (parts[0] === 'groups' && parts.length === 1 && method === 'GET') {
      const [, name] = /displayName eq '((?:[^']|'')*)'/.exec(query.get('$filter') ?? '') ?? [];
      const found = [...groups.values()].filter((g) => g.displayName === name?.replace(/''/g, "'"));
      return { status: 200, body: { value: found.map((g) => ({ '@odata.type': '#microsoft.graph.group', id: g.id, displayName: g.displayName })) } };
    }
    if (parts[0] === 'groups' && parts[2] === 'members') return members(method, parts, body);
    return graphError(400, 'BadRequest', `Resource not found for the segment '${parts.at(-1) ?? ''}'.`);
  }

  function patchUser(user: FakeGraphUser, body: Record<string, unknown>): Answer {
    const profile = body['passwordProfile'] as { password?: string } | undefined;
    if (profile?.password !== undefined) {
      const p = profile.password;
      const classes = [/[a-z]/, /[A-Z]/, /\d/, /[^a-zA-Z\d]/].filter((r) => r.test(p)).length;
      if (p.length < 8 || classes < 3) {
        return graphError(400, 'Request_BadRequest', 'The specified password does not comply with password complexity requirements. Please provide a different password.');
      }
      user.password = p;
      user.lastPasswordChangeDateTime = new Date().toISOString();
    }
    if (typeof body['accountEnabled'] === 'boolean') user.accountEnabled = body['accountEnabled'];
    return { status: 204 };
  }

  function members(method: string, parts: string[], body: Record<string, unknown>): Answer {
    const group = groups.get(parts[1] ?? '');
    if (!group) return notFound(parts[1] ?? '');
    if (method === 'POST' && parts[3] === '$ref') {
      const id = String(body['@odata.id'] ?? '').split('/').pop() ?? '';
      if (!users.has(id)) return notFound(id);
      if (group.members.has(id)) {
        return graphError(400, 'Request_BadRequest', "One or more added object references already exist for the following modified properties: 'members'.");
      }
      group.members.add(id);
      return { status: 204 };
    }
    if (method === 'DELETE' && parts[4] === '$ref' && parts[3]) {
      if (!group.members.delete(parts[3])) return notFound(parts[3]);
      return { status: 204 };
    }
    return graphError(405, 'Request_BadRequest', `method ${method} not allowed`);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    requests.push(`${req.method} ${url.pathname}`);
    let answer: Answer;
    if (state.down) answer = graphError(503, 'serviceNotAvailable', 'The service is temporarily unavailable.');
    else if (url.pathname === `/authority/${tenantId}/oauth2/v2.0/token` && req.method === 'POST') answer = token(new URLSearchParams(raw));
    else if (url.pathname.startsWith('/v1.0/')) {
      const bearer = (req.headers.authorization ?? '').replace(/^Bearer /, '');
      answer = tokens.has(bearer)
        ? api(req.method ?? 'GET', url.pathname.slice('/v1.0'.length), url.searchParams, raw ? (JSON.parse(raw) as Record<string, unknown>) : {})
        : graphError(401, 'InvalidAuthenticationToken', 'Access token validation failure. Invalid audience.');
    } else answer = graphError(404, 'NotFound', `no route ${url.pathname}`);
    res.writeHead(answer.status, answer.body === undefined ? {} : { 'content-type': 'application/json' });
    res.end(answer.body === undefined ? undefined : JSON.stringify(answer.body));
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 'fakeGraphError', message: String(error) } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  apiUrl = `${base}/v1.0`;
  return {
    authorityUrl: `${base}/authority`,
    apiUrl,
    tenantId,
    clientId,
    clientSecret,
    users,
    groups,
    requests,
    get down() {
      return state.down;
    },
    set down(value: boolean) {
      state.down = value;
    },
    close: () => new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
  };
}
