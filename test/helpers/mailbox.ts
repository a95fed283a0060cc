/**
 * A local SMTP server (smtp-server) that keeps what it receives: where one-time codes are mailed in
 * tests. `codeIn` reads the 6-digit code of a code mail, in either language.
 */
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface Mail {
  to: string[];
  raw: string;
}

export interface Mailbox {
  url: string;
  mails: Mail[];
  /** Resolves with the first mail to `to` after `count` mails, waiting up to 10 s. */
  next(count: number): Promise<Mail>;
  stop(): Promise<void>;
}

export async function startMailbox(): Promise<Mailbox> {
  const mails: Mail[] = [];
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        mails.push({ to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString('utf8') });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  const port = (smtp.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    mails,
    async next(count) {
      for (let i = 0; i < 400 && mails.length <= count; i += 1) await new Promise((r) => setTimeout(r, 25));
      const mail = mails[count];
      if (!mail) throw new Error(`mailbox: no mail #${count + 1} arrived`);
      return mail;
    },
    stop: () => new Promise<void>((resolve) => smtp.close(() => resolve())),
  };
}

export function codeIn(mail: Mail): string {
  const text = mail.raw.replace(/=\r?\n/g, '');
  const match = /(?:verification code is|code de vérification est|code de v=C3=A9rification est) (\d{6})/.exec(text);
  if (!match) throw new Error(`no code in the mail:\n${mail.raw}`);
  return match[1]!;
}
