/**
 * The whole identity-first password reset against real servers: the person's Slack e-mail mapped to
 * their entry on slapd, the one-time code mailed through nodemailer to a local smtp-server, the
 * reset link's token completed through the directory's own password policy, then a bind with the
 * new password.
 */
import { Client } from 'ldapts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DirectoryActions, type ActionRequest } from '../../src/directory/actions.ts';
import { MemoryDirectoryAuditLog } from '../../src/directory/audit.ts';
import { MemoryIdempotencyStore } from '../../src/directory/idempotency.ts';
import { MailCodeSender } from '../../src/directory/mail-code-sender.ts';
import { MemoryChallengeStore, OneTimeCodes } from '../../src/directory/one-time-code.ts';
import { MemoryResetTokenStore, PasswordResets } from '../../src/directory/password-resets.ts';
import { loadDirectoryPolicy } from '../../src/directory/policy.ts';
import { startMailbox, type Mail, type Mailbox } from '../helpers/mailbox.ts';
import { personDn, useSlapd } from '../helpers/slapd.ts';

const slapd = useSlapd();
let mailbox: Mailbox;
let mails: Mail[];
let sender: MailCodeSender;

beforeAll(async () => {
  mailbox = await startMailbox();
  mails = mailbox.mails;
  sender = new MailCodeSender(mailbox.url, 'Guichet <guichet@example.org>');
});

afterAll(async () => {
  sender.close();
  await mailbox.stop();
});

function codeIn(mail: Mail): string {
  const text = mail.raw.replace(/=\r?\n/g, '');
  const match = /verification code is (\d{6})/.exec(text);
  if (!match) throw new Error(`no code in the mail:\n${mail.raw}`);
  return match[1]!;
}

async function canBind(dn: string, password: string): Promise<boolean> {
  const client = new Client({ url: slapd().slapd.url });
  try {
    await client.bind(dn, password);
    return true;
  } catch {
    return false;
  } finally {
    await client.unbind();
  }
}

describe('password reset on slapd, code by e-mail', () => {
  it('identifies the person, mails a code, and sets the chosen password through ppolicy', async () => {
    const { directory } = slapd();
    const resets = new PasswordResets(directory, new MemoryResetTokenStore());
    const actions = new DirectoryActions({
      directory,
      policy: await loadDirectoryPolicy('config/directory-actions.yml'),
      audit: new MemoryDirectoryAuditLog(),
      codes: new OneTimeCodes(new MemoryChallengeStore()),
      sender,
      resets,
      idempotency: new MemoryIdempotencyStore(),
    });
    const request: ActionRequest = {
      idempotencyKey: 'slack-event-1',
      requester: { channel: 'slack', userId: 'U042', email: 'alice@example.org', emailVerified: true },
      action: 'reset-password',
      lang: 'en',
    };

    const first = await actions.perform(request);
    expect(first).toMatchObject({ kind: 'code-sent', accountId: personDn('alice'), sentTo: 'a***@home.example' });
    expect(mails).toHaveLength(1);
    expect(mails[0]!.to).toEqual(['alice.martin@home.example']);
    expect(mails[0]!.raw).toContain('Subject: Guichet: your verification code');
    if (first.kind !== 'code-sent') return;

    const second = await actions.perform({ ...request, idempotencyKey: 'slack-event-2', code: { challengeId: first.challengeId, code: codeIn(mails[0]!) } });
    expect(second).toMatchObject({ kind: 'done', accountId: personDn('alice') });
    const token = second.kind === 'done' ? second.resetPath!.replace('/portal/reset/', '') : '';

    const weak = await resets.completeReset(token, 'short');
    expect(weak).toMatchObject({ kind: 'password-refused', detail: expect.stringContaining('quality') });
    expect(await resets.completeReset(token, 'Alice-Chose-This-42')).toEqual({ kind: 'done', accountId: personDn('alice') });
    expect(await resets.completeReset(token, 'Alice-Chose-This-43')).toEqual({ kind: 'invalid-token' });
    expect(await canBind(personDn('alice'), 'Alice-Chose-This-42')).toBe(true);
  });
});
