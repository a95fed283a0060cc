/**
 * The MFA guide acting on the real account in Microsoft Entra ID, through the whole core: a Teams
 * user (their Entra object id, as Teams gives it) asks about a new phone; Guichet offers to make them
 * register MFA again, mails a one-time code to the second address Entra ID holds (otherMails, local
 * SMTP server), then removes the methods and revokes the sessions on the fake Graph. A directory
 * without MFA methods (LDAP) leaves the MFA guide as it is: tested in directory-chat.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGuichet, type Guichet } from '../../src/app/guichet.ts';
import { renderPlainText } from '../../src/core/render-text.ts';
import { loadDirectoryEnv } from '../../src/directory/env.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { startFakeGraph, type FakeGraph } from '../helpers/fake-graph.ts';
import { codeIn, startMailbox, type Mailbox } from '../helpers/mailbox.ts';
import { RecordingNotifier } from '../helpers/recording-notifier.ts';

const ALICE = '11111111-1111-1111-1111-111111111111';
let testDb: TestDatabase;
let graph: FakeGraph;
let mailbox: Mailbox;
let guichet: Guichet;

beforeAll(async () => {
  testDb = await createTestDatabase();
  graph = await startFakeGraph();
  mailbox = await startMailbox();
  graph.users.set(ALICE, {
    id: ALICE, userPrincipalName: 'alice@example.org', mail: 'alice@example.org', displayName: 'Alice Martin', accountEnabled: true,
    lastPasswordChangeDateTime: '2026-12-01T09:00:00Z', otherMails: ['alice.martin@home.example'],
    methods: [{ '@odata.type': '#microsoft.graph.microsoftAuthenticatorAuthenticationMethod', id: 'a1b2c3d4-0000-0000-0000-000000000001' }],
  });
  guichet = await createGuichet({
    databaseUrl: testDb.url, defaultLang: 'fr', configDir: 'config', knowledgeDir: 'knowledge', dialogsDir: 'dialogs', notifier: new RecordingNotifier(),
    directory: {
      env: loadDirectoryEnv({
        DIRECTORY: 'graph', GRAPH_TENANT_ID: graph.tenantId, GRAPH_CLIENT_ID: graph.clientId, GRAPH_CLIENT_SECRET: graph.clientSecret,
        GRAPH_AUTHORITY_URL: graph.authorityUrl, GRAPH_API_URL: graph.apiUrl, SMTP_URL: mailbox.url, SMTP_FROM: 'guichet@example.org',
      }),
    },
  });
}, 120_000);

afterAll(async () => {
  await guichet?.close();
  await mailbox?.stop();
  await graph?.close();
  await testDb?.cleanup();
});

let sequence = 0;
async function say(text: string): Promise<string> {
  const result = await guichet.turn({ channel: 'teams', deliveryId: `act-${++sequence}`, tenantId: graph.tenantId, user: { externalId: ALICE, displayName: 'Alice Martin' }, conversation: { externalId: 'a:alice', kind: 'personal' }, text });
  return result.replies.map(renderPlainText).join('\n');
}

describe('MFA re-registration in Teams, on Entra ID', () => {
  it('checks a mailed code, then removes the methods and ends the sessions', async () => {
    expect(await say('j\'ai changé de téléphone et je n\'ai plus la double authentification')).toContain('supprimer vos méthodes d\'authentification multifacteur');
    const before = mailbox.mails.length;
    expect(await say('oui')).toContain('a***@home.example');
    const code = codeIn(await mailbox.next(before));
    expect(graph.users.get(ALICE)!.methods).toHaveLength(1);
    const done = await say(code);
    expect(done).toContain('Vos méthodes d’authentification multifacteur ont été supprimées');
    expect(graph.users.get(ALICE)!.methods).toEqual([]);
    expect(graph.users.get(ALICE)!.revokedAt).toBeDefined();
    const ticket = await testDb.db.client.ticket.findFirstOrThrow({ where: { type: 'request' } });
    expect(ticket.title).toContain('réenregistrer votre authentification multifacteur');
    expect((await testDb.db.client.directoryAudit.findMany()).map((e) => `${e.requester} ${e.action}:${e.result}`)).toEqual([`teams:${ALICE} reset-mfa:code-sent`, `teams:${ALICE} reset-mfa:done`]);
  });
});
