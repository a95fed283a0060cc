/**
 * The password and MFA guides acting on the real account, through the whole core (createGuichet on
 * a real database, the shipped dialogs/, config/ and config/directory-actions.yml) against a real
 * OpenLDAP (slapd with ppolicy) and a local SMTP server: the account is read first and its state
 * picks the branch (locked → unlock; fine → reset link; disabled → ticket), the reset goes through
 * a mailed one-time code, wrong codes end in a P2 security ticket, identity and policy refusals are
 * said and the ordinary guide goes on, an unreachable directory gives a ticket with the diagnosis,
 * and a retried delivery acts once. Every attempt is in the audit log; done actions are request
 * tickets resolved by the automation.
 */
import { Client } from 'ldapts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTOMATION_USER } from '../../src/app/open-directory.ts';
import { createGuichet, type Guichet } from '../../src/app/guichet.ts';
import type { TurnResult } from '../../src/core/handle-turn.ts';
import { renderPlainText } from '../../src/core/render-text.ts';
import { loadDirectoryEnv } from '../../src/directory/env.ts';
import { PrismaMetricsQuery } from '../../src/persistence/stores/metrics.ts';
import { SLAPD_BIND_DN, SLAPD_BIND_PASSWORD, SLAPD_POLICY_DN } from '../../scripts/slapd.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { codeIn, startMailbox, type Mailbox } from '../helpers/mailbox.ts';
import { RecordingNotifier } from '../helpers/recording-notifier.ts';
import { personDn, SLAPD_BASE_DN, useSlapd } from '../helpers/slapd.ts';

const slapd = useSlapd();
let testDb: TestDatabase;
let mailbox: Mailbox;
let guichet: Guichet;

const env = (ldapUrl: string, smtpUrl: string) =>
  loadDirectoryEnv({
    DIRECTORY: 'ldap', LDAP_URL: ldapUrl, LDAP_BIND_DN: SLAPD_BIND_DN, LDAP_BIND_PASSWORD: SLAPD_BIND_PASSWORD, LDAP_BASE_DN: SLAPD_BASE_DN,
    LDAP_OBJECT_ID_ATTRIBUTE: 'employeeNumber', LDAP_PASSWORD_POLICY_DN: SLAPD_POLICY_DN, SMTP_URL: smtpUrl, SMTP_FROM: 'Guichet <guichet@example.org>',
  });

function open(ldapUrl: string, migrate: boolean): Promise<Guichet> {
  return createGuichet({
    databaseUrl: testDb.url, migrate, defaultLang: 'fr', configDir: 'config', knowledgeDir: 'knowledge', dialogsDir: 'dialogs',
    notifier: new RecordingNotifier(),
    directory: { env: env(ldapUrl, mailbox.url), publicUrl: 'https://guichet.example.org', secret: 'a-test-session-secret' },
  });
}

beforeAll(async () => {
  testDb = await createTestDatabase();
  mailbox = await startMailbox();
  guichet = await open(slapd().slapd.url, true);
}, 120_000);

afterAll(async () => {
  await guichet?.close();
  await mailbox?.stop();
  await testDb?.cleanup();
});

let sequence = 0;

/** A Slack user whose verified profile e-mail is `email`, talking to `bot`. */
function person(email: string, bot = () => guichet) {
  const id = `U${++sequence}${email.split('@')[0]!.toUpperCase()}`;
  return {
    id,
    async say(text: string, deliveryId = `Ev${++sequence}`): Promise<{ text: string; result: TurnResult }> {
      const result = await bot().turn({ channel: 'slack', deliveryId, tenantId: 'T1', user: { externalId: id, displayName: email, email }, conversation: { externalId: `D${id}`, kind: 'personal' }, text });
      return { text: result.replies.map(renderPlainText).join('\n'), result };
    },
  };
}

async function entry(uid: string): Promise<Record<string, unknown>> {
  const client = new Client({ url: slapd().slapd.url });
  try {
    await client.bind(SLAPD_BIND_DN, SLAPD_BIND_PASSWORD);
    const { searchEntries } = await client.search(personDn(uid), { scope: 'base', attributes: ['pwdAccountLockedTime', 'pwdChangedTime'] });
    return searchEntries[0] ?? {};
  } finally {
    await client.unbind();
  }
}

const locked = (e: Record<string, unknown>) => [e.pwdAccountLockedTime ?? []].flat().length > 0;
const audit = () => testDb.db.client.directoryAudit.findMany({ orderBy: { at: 'asc' } });
const ticketOf = (text: string) => Number(/n°(\d+)/.exec(text)?.[1]);

describe('the password guide reads the account first', () => {
  it('unlocks a locked account in chat, once, and records it on a request resolved by the automation', async () => {
    const bob = person('bob@example.org');
    expect(locked(await entry('bob'))).toBe(true);
    const started = performance.now();
    const first = await bob.say('mon compte est verrouillé');
    expect(first.text).toContain('il est verrouillé après trop d\'essais');
    expect(first.result.replies[0]).toMatchObject({ type: 'choices', choices: [{ label: 'Oui' }, { label: 'Non' }] });

    const yes = await bob.say('Oui', 'Ev-bob-yes');
    expect(yes.text).toContain('Votre compte est déverrouillé');
    expect(locked(await entry('bob'))).toBe(false);
    console.log(`directory: first message to unlocked account through the core (2 messages, slapd, real database): ${(performance.now() - started).toFixed(0)} ms`);
    const number = ticketOf(yes.text);
    const ticket = await testDb.db.client.ticket.findUniqueOrThrow({ where: { number } });
    expect(ticket).toMatchObject({ type: 'request', status: 'resolved', assigneeId: AUTOMATION_USER.id, category: 'account-access' });
    expect(ticket.description).toContain(personDn('bob'));

    // Slack delivers the same event again: the first answer, nothing done twice.
    const again = await bob.say('Oui', 'Ev-bob-yes');
    expect(again.result.duplicate).toBe(true);
    const unlocks = (await audit()).filter((e) => e.accountId === personDn('bob') && e.action === 'unlock');
    expect(unlocks.map((e) => e.result)).toEqual(['done']);
    expect((await audit()).some((e) => e.accountId === personDn('bob') && e.action === 'status' && e.result === 'done')).toBe(true);
    expect(await testDb.db.client.ticket.count({ where: { requesterId: ticket.requesterId } })).toBe(1);

    // Analytics: resolved at first level by the automation — self-service, not an escalation.
    const metrics = new PrismaMetricsQuery(testDb.db);
    expect(await metrics.conversationsSelfServed([ticket.conversationId!])).toEqual([ticket.conversationId]);
    expect(await metrics.conversationsWithTicket([ticket.conversationId!])).toEqual([]);
  });

  it('finds nothing wrong, mails a code to the second address, then gives a one-time reset link', async () => {
    const alice = person('alice@example.org');
    const first = await alice.say('j\'ai oublié mon mot de passe');
    expect(first.text).toContain('il n\'est ni verrouillé ni désactivé');
    expect(first.text).toContain('1 décembre 2026');
    const before = mailbox.mails.length;
    const yes = await alice.say('oui');
    expect(yes.text).toContain('un code à 6 chiffres vient d’être envoyé à a***@home.example');
    const mail = await mailbox.next(before);
    expect(mail.to).toEqual(['alice.martin@home.example']);
    const code = codeIn(mail);
    const wrong = code === '000000' ? '111111' : '000000';
    expect((await alice.say(wrong)).text).toContain('Il vous reste 2 essai(s)');
    expect((await alice.say('bonjour ?')).text).not.toContain('/portal/reset/');
    const done = await alice.say(`le code reçu est ${code}`);
    const link = /https:\/\/guichet\.example\.org\/portal\/reset\/([A-Za-z0-9_-]+)/.exec(done.text);
    expect(link, done.text).toBeTruthy();
    // The link resets the password through the directory's policy (the portal page's call).
    expect(await guichet.directory!.resets.completeReset(link![1]!, 'too-short', personDn('alice'))).toMatchObject({ kind: 'password-refused' });
    expect(await guichet.directory!.resets.completeReset(link![1]!, 'Alice-Picked-This-77', personDn('alice'))).toEqual({ kind: 'done', accountId: personDn('alice') });
    // No password, code or token in any stored message.
    const stored = JSON.stringify(await testDb.db.client.message.findMany());
    expect(stored).not.toContain('Alice-Picked-This-77');
    // « le code est … » was masked before it was stored, yet the code reached the directory module.
    expect(stored).not.toContain(`le code reçu est ${code}`);
    expect(stored).toContain('le code reçu est [•••]');
    expect(await testDb.db.client.directoryResetToken.count()).toBe(0);
  });

  it('declined: nothing changes and the ordinary guide goes on', async () => {
    const alice = person('alice@example.org');
    await alice.say('problème de mot de passe');
    const no = await alice.say('non');
    expect(no.text).toContain('je ne change rien');
    const conversation = await testDb.db.client.conversation.findFirstOrThrow({ where: { externalId: `D${alice.id}` } });
    expect((conversation.state as { flow?: { flowId: string } }).flow?.flowId).toBe('password');
  });

  it('a disabled account is never unlocked by the bot: a ticket instead', async () => {
    const erin = person('erin@example.org');
    const said = await erin.say('mon compte est bloqué');
    expect(said.text).toContain('il est désactivé');
    const ticket = await testDb.db.client.ticket.findUniqueOrThrow({ where: { number: ticketOf(said.text) } });
    expect(ticket).toMatchObject({ type: 'incident', status: 'new' });
    expect(locked(await entry('erin'))).toBe(true);
  });
});

describe('refusals', () => {
  it('identity: two entries with the same e-mail are refused, and the guide goes on', async () => {
    const frank = person('shared@example.org');
    const said = await frank.say('mon compte est verrouillé');
    expect(said.text).toContain('Plusieurs comptes de l\'annuaire correspondent à votre identité');
    expect(said.result.decision?.route).toBe('flow');
    expect((await audit()).some((e) => e.requester.startsWith('slack:') && e.result === 'refused:several-entries')).toBe(true);
  });

  it('policy: an administrator is never reset by the bot', async () => {
    const dave = person('dave@example.org');
    await dave.say('j\'ai oublié mon mot de passe');
    const said = await dave.say('oui');
    expect(said.text).toContain('Votre compte est un compte à privilèges');
    // The ordinary guide goes on, towards the service desk.
    expect(said.result.decision?.route).toBe('flow');
    expect((await audit()).some((e) => e.accountId === personDn('dave') && e.action === 'reset-password' && e.result === 'refused:privileged')).toBe(true);
  });

  it('three wrong codes stop the reset and open a P2 security ticket', async () => {
    const alice = person('alice@example.org');
    await alice.say('mot de passe oublié');
    const before = mailbox.mails.length;
    await alice.say('oui');
    const code = codeIn(await mailbox.next(before));
    const wrong = code === '000000' ? '111111' : '000000';
    await alice.say(wrong);
    await alice.say(wrong);
    const last = await alice.say(wrong);
    expect(last.text).toContain('Trop de codes erronés');
    const ticket = await testDb.db.client.ticket.findUniqueOrThrow({ where: { number: ticketOf(last.text) } });
    expect(ticket).toMatchObject({ type: 'incident', category: 'security', priority: 2 });
    // The right code is now void.
    expect((await alice.say(code)).text).not.toContain('/portal/reset/');
  });
});

describe('access requests end in access', () => {
  it('after the owner approves, adds the requester to the group the service catalogue names, tells them, and removes it at the end date', async () => {
    const carol = person('carol@example.org');
    await carol.say('bonjour');
    const alice = person('alice@example.org');
    const answers: Record<string, string> = {
      'had-access': 'non', resource: 'Un dossier partagé (lecteur S:)', path: 'S:\\Finance\\Budget 2027', access: 'Lecture seule',
      reason: "Je remplace Carol sur le budget pendant ses congés, jusqu'au 31/12/2026", owner: 'carol@example.org',
    };
    let said = await alice.say('je voudrais un accès au dossier partagé S:\\Finance');
    for (let turn = 0; turn < 10; turn += 1) {
      const conversation = await testDb.db.client.conversation.findFirstOrThrow({ where: { externalId: `D${alice.id}` } });
      const node = (conversation.state as { flow?: { nodeId: string } }).flow?.nodeId;
      if (!node) break;
      expect(answers[node], `no answer for ${node}: ${said.text}`).toBeDefined();
      said = await alice.say(answers[node]!);
    }
    const ticket = await testDb.db.client.ticket.findFirstOrThrow({ where: { type: 'request', serviceId: 'file-shares' }, orderBy: { number: 'desc' } });
    expect(ticket.status).toBe('new');
    const member = async () => (await slapd().directory.account(personDn('alice'))).ok && ((await slapd().directory.account(personDn('alice'))) as { value: { groups: { name: string }[] } }).value.groups.some((g) => g.name === 'finance-share');
    expect(await member()).toBe(false);

    const approved = await carol.say(`#${ticket.number} approuver`);
    expect(approved.text).toContain(`${ticket.number}`);
    expect(await member()).toBe(true);
    const after = await testDb.db.client.ticket.findUniqueOrThrow({ where: { number: ticket.number } });
    expect(after).toMatchObject({ status: 'resolved', assigneeId: AUTOMATION_USER.id });
    expect(after.resolution).toContain('Vous êtes maintenant membre du groupe finance-share. Cet accès prendra fin le 2026-12-31.');
    expect((await audit()).some((e) => e.accountId === personDn('alice') && e.action === 'add-to-group' && e.group === 'finance-share' && e.result === 'done')).toBe(true);

    // The end date given: the sweep removes the membership once the day is over, once.
    expect(await guichet.directory!.expireGrants(new Date('2026-12-31T12:00:00Z'))).toBe(0);
    expect(await member()).toBe(true);
    expect(await guichet.directory!.expireGrants(new Date('2027-01-01T06:00:00Z'))).toBe(1);
    expect(await member()).toBe(false);
    expect(await guichet.directory!.expireGrants(new Date('2027-01-02T06:00:00Z'))).toBe(0);
    expect((await audit()).filter((e) => e.action === 'remove-from-group').map((e) => `${e.requester} ${e.group} ${e.result}`)).toEqual([`automation:end-date:#${ticket.number} finance-share done`]);
  });
});

describe('a directory that does not answer', () => {
  it('says so, changes nothing and opens a ticket carrying the diagnosis', async () => {
    const down = await open('ldap://127.0.0.1:9', false);
    try {
      const bob = person('bob@example.org', () => down);
      const said = await bob.say('mon compte est verrouillé');
      expect(said.text).toContain('L\'annuaire ne répond pas pour le moment');
      const ticket = await testDb.db.client.ticket.findUniqueOrThrow({ where: { number: ticketOf(said.text) } });
      expect(ticket.description).toContain('unreachable');
      expect(ticket.status).toBe('new');
    } finally {
      await down.close();
    }
  });
});
