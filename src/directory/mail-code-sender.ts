/**
 * Sends one-time codes by e-mail through SMTP (nodemailer), worded from the text catalogue.
 * SMTP_URL is e.g. smtps://user:pass@mail.example.org:465 or smtp://relay.internal:25.
 */
import nodemailer, { type Transporter } from 'nodemailer';
import { localizeEntry } from '../texts/define.ts';
import { directory as texts } from '../texts/directory.ts';
import type { CodeMessage, CodeSender } from './one-time-code.ts';

export class MailCodeSender implements CodeSender {
  private readonly transport: Transporter;

  constructor(
    smtpUrl: string,
    private readonly from: string,
    options: { timeoutMs?: number } = {},
  ) {
    const timeout = options.timeoutMs ?? 10_000;
    this.transport = nodemailer.createTransport({ url: smtpUrl, connectionTimeout: timeout, greetingTimeout: timeout, socketTimeout: timeout });
  }

  async send(message: CodeMessage): Promise<{ ok: true } | { ok: false; detail: string }> {
    const vars = { name: message.name, code: message.code, action: message.action, minutes: message.minutes };
    try {
      await this.transport.sendMail({
        from: this.from,
        to: message.to,
        subject: localizeEntry(texts.codeMailSubject, message.lang, vars),
        text: localizeEntry(texts.codeMailBody, message.lang, vars),
      });
      return { ok: true };
    } catch (error) {
      return { ok: false, detail: `directory: cannot send the code to ${message.to}: ${error instanceof Error ? error.message : String(error)}` };
    }
  }

  close(): void {
    this.transport.close();
  }
}
