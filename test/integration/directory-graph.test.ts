import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { GraphDirectory, type GraphDirectoryOptions } from '../../src/directory/graph-directory.ts';
import { startFakeGraph, type FakeGraph, type FakeGraphUser } from '../helpers/fake-graph.ts';
import { ALICE_OBJECT_ID, directoryContract, STRONG_PASSWORD, value } from '../unit/directory/contract.ts';
import { actionsWorld, POLICY, teams } from '../unit/directory/world.ts';

let graph: FakeGraph;
let options: GraphDirectoryOptions;

const ids = {
  alice: ALICE_OBJECT_ID,
  bob: '22222222-2222-2222-2222-222222222222',
  carol: '33333333-3333-3333-3333-333333333333',
  dave: '44444444-4444-4444-4444-444444444444',
  erin: '55555555-5555-5555-5555-555555555555',
  financeShare: 'aaaaaaaa-0000-0000-0000-000000000003',
  missing: '99999999-9999-9999-9999-999999999999',
};

function user(id: string, upn: string, displayName: string, extra: Partial<FakeGraphUser> = {}): FakeGraphUser {
  return {
    id,
    userPrincipalName: `${upn}@example.org`,
    mail: `${upn}@example.org`,
    displayName,
    accountEnabled: true,
    lastPasswordChangeDateTime: '2026-12-01T09:00:00Z',
    methods: [],
    ...extra,
  };
}

function seed(): void {
  graph.users.clear();
  graph.groups.clear();
  const people = [
    user(ids.alice, 'alice', 'Alice Martin', {
      otherMails: ['alice.martin@home.example'],
      managerId: ids.carol,
      methods: [
        { '@odata.type': '#microsoft.graph.microsoftAuthenticatorAuthenticationMethod', id: 'a1b2c3d4-0000-0000-0000-000000000001' },
        { '@odata.type': '#microsoft.graph.phoneAuthenticationMethod', id: '3179e48a-750b-4051-897c-87b9720928f7' },
      ],
    }),
    user(ids.bob, 'bob', 'Bob Durand', { managerId: ids.carol }),
    user(ids.carol, 'carol', 'Carol Petit', { lastPasswordChangeDateTime: '2020-01-01T00:00:00Z' }),
    user(ids.dave, 'dave', 'Dave Admin', { roles: ['Global Administrator'] }),
    user(ids.erin, 'erin', 'Erin Left', { accountEnabled: false }),
    user('66666666-6666-6666-6666-666666666666', 'frank', 'Frank One', { mail: 'shared@example.org' }),
    user('77777777-7777-7777-7777-777777777777', 'frank2', 'Frank Two', { mail: 'shared@example.org' }),
  ];
  for (const p of people) graph.users.set(p.id, p);
  graph.groups.set('aaaaaaaa-0000-0000-0000-000000000002', { id: 'aaaaaaaa-0000-0000-0000-000000000002', displayName: 'vpn-users', members: new Set([ids.alice]) });
  graph.groups.set(ids.financeShare, { id: ids.financeShare, displayName: 'finance-share', members: new Set([ids.carol]) });
}

beforeAll(async () => {
  graph = await startFakeGraph();
  options = {
    tenantId: graph.tenantId,
    clientId: graph.clientId,
    clientSecret: graph.clientSecret,
    authorityUrl: graph.authorityUrl,
    apiUrl: graph.apiUrl,
    maxPasswordAgeDays: 90,
    timeoutMs: 2000,
  };
});
afterAll(async () => graph.close());
beforeEach(() => {
  graph.down = false;
  seed();
});

directoryContract('Microsoft Graph (fake Graph)', () => ({
  directory: new GraphDirectory(options),
  ids,
  unreachable: () => new GraphDirectory({ ...options, authorityUrl: 'http://127.0.0.1:9', apiUrl: 'http://127.0.0.1:9/v1.0', timeoutMs: 1000 }),
  supports: { unlock: false, mfa: true, objectId: true },
}));

describe('Graph directory', () => {
  it('removes every MFA method but the password, then revokes sessions', async () => {
    const directory = new GraphDirectory(options);
    expect(value(await directory.requireMfaReRegistration(ids.alice))).toBeUndefined();
    expect(graph.users.get(ids.alice)!.methods).toEqual([]);
    expect(graph.users.get(ids.alice)!.revokedAt).toBeDefined();
    expect(graph.requests.filter((r) => r.includes(ids.alice)).slice(-3)).toEqual([
      `DELETE /v1.0/users/${ids.alice}/authentication/microsoftAuthenticatorMethods/a1b2c3d4-0000-0000-0000-000000000001`,
      `DELETE /v1.0/users/${ids.alice}/authentication/phoneMethods/3179e48a-750b-4051-897c-87b9720928f7`,
      `POST /v1.0/users/${ids.alice}/revokeSignInSessions`,
    ]);
  });

  it('adds a member through members/$ref with a directoryObjects reference', async () => {
    await new GraphDirectory(options).addToGroup(ids.alice, ids.financeShare);
    expect(graph.groups.get(ids.financeShare)!.members.has(ids.alice)).toBe(true);
    expect(graph.requests).toContain(`POST /v1.0/groups/${ids.financeShare}/members/$ref`);
  });

  it('marks a holder of a directory role as privileged', async () => {
    expect(value(await new GraphDirectory(options).account(ids.dave)).privileged).toBe(true);
  });

  it('sets a password through passwordProfile', async () => {
    expect((await new GraphDirectory(options).setPassword(ids.bob, STRONG_PASSWORD)).ok).toBe(true);
    expect(graph.users.get(ids.bob)!.password).toBe(STRONG_PASSWORD);
  });

  it('answers unreachable with the token endpoint\'s reason when the secret is wrong', async () => {
    const result = await new GraphDirectory({ ...options, clientSecret: 'wrong' }).status(ids.alice);
    expect(result).toMatchObject({ ok: false, reason: 'unreachable' });
    expect(result.ok ? '' : result.detail).toContain('AADSTS7000215');
  });

  it('answers unreachable during a Graph outage (503)', async () => {
    graph.down = true;
    expect(await new GraphDirectory(options).status(ids.alice)).toMatchObject({ ok: false, reason: 'unreachable' });
  });
});

describe('directory actions on the fake Graph', () => {
  it('re-registers MFA after a code, and says unlock is not possible in Entra ID', async () => {
    const world = actionsWorld({ policy: POLICY }, new GraphDirectory(options));
    const teamsAlice = teams(ids.alice);
    const first = await world.ask(teamsAlice, 'reset-mfa');
    if (first.kind !== 'code-sent') throw new Error(`expected a code, got ${JSON.stringify(first)}`);
    expect(world.sender.sent[0]!.to).toBe('alice.martin@home.example');
    const done = await world.ask(teamsAlice, 'reset-mfa', { code: { challengeId: first.challengeId, code: world.sender.lastCode() } });
    expect(done).toEqual({ kind: 'done', action: 'reset-mfa', accountId: ids.alice, changed: true });
    expect(graph.users.get(ids.alice)!.methods).toEqual([]);
    expect(await world.ask(teamsAlice, 'unlock')).toMatchObject({ kind: 'failed', reason: 'unsupported' });
  });

  it('never resets the MFA of a directory role holder', async () => {
    const world = actionsWorld({ policy: POLICY }, new GraphDirectory(options));
    expect(await world.ask(teams(ids.dave), 'reset-mfa')).toMatchObject({ kind: 'refused', reason: 'privileged' });
  });
});
