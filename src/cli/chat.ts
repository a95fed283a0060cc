/**
 * `npm run chat`: talk to Guichet in the terminal, through the same core and
 * database as every other channel.
 *
 * Interactive on a terminal; otherwise one user message per input line and
 * the bot's replies as plain text, a blank line after each turn, so whole
 * conversations can be scripted. Choices are printed as numbered options and
 * the next line may answer with the number or the text.
 *
 *   npm run chat -- --user alice --lang fr --db file:./data/demo.db
 *   npm run chat -- --trace   (prints the turn's decision as a JSON line after each reply)
 */
import '../bootstrap-env.ts';
import { randomUUID } from 'node:crypto';
import { userInfo } from 'node:os';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { loadCliConfig } from '../config.ts';
import { GuichetError } from '../core/errors.ts';
import { toLang } from '../core/lang.ts';
import type { Choice, OutboundMessage } from '../core/messages.ts';
import { renderPlainText } from '../core/render-text.ts';
import { traceLine } from '../core/turn/decision.ts';
import { createGuichet, settingsOptions } from '../app/guichet.ts';
import { run } from './run.ts';

const USAGE = 'usage: npm run chat -- [--user <id>] [--lang fr|en] [--db <database url>] [--trace]';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { user: { type: 'string' }, lang: { type: 'string' }, db: { type: 'string' }, trace: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const lang = values.lang === undefined ? undefined : toLang(values.lang);
  if (values.lang !== undefined && (!lang || values.lang.length !== 2)) {
    throw new GuichetError('cli.invalid-option', `chat: --lang must be "fr" or "en" (got "${values.lang}")`);
  }
  const config = loadCliConfig({ ...process.env, ...(values.db ? { DATABASE_URL: values.db } : {}) });
  const user = values.user ?? userInfo().username;
  const guichet = await createGuichet(settingsOptions(config));
  const interactive = Boolean(process.stdin.isTTY && process.stdout.isTTY);
  const session = randomUUID().slice(0, 8);
  let turnNumber = 0;
  let lastChoices: Choice[] = [];

  const lines = createInterface({ input: process.stdin, output: interactive ? process.stdout : undefined, terminal: interactive });
  const prompt = () => interactive && lines.prompt();
  if (interactive) {
    lines.setPrompt('> ');
    process.stdout.write('Guichet — tapez votre message / type your message (Ctrl+D pour quitter / to quit)\n');
  }
  prompt();
  try {
    for await (const raw of lines) {
      const line = raw.trim();
      if (!line) {
        prompt();
        continue;
      }
      turnNumber += 1;
      const result = await guichet.turn({
        channel: 'terminal',
        deliveryId: `${user}:${session}:${turnNumber}`,
        user: { externalId: user, displayName: user },
        conversation: { externalId: user, kind: 'personal' },
        text: answerChoice(line, lastChoices),
        lang,
      });
      lastChoices = result.replies.flatMap((r: OutboundMessage) => (r.type === 'choices' ? r.choices : []));
      // A blank line ends a turn, so replies themselves carry none.
      const text = result.replies.map((r) => renderPlainText(r).replace(/\n\s*\n/g, '\n')).join('\n');
      // --trace: the router's decision as one JSON line after the reply ({route, flow, articles, urgent, confidence, reason}).
      const trace = values.trace && result.decision ? `${traceLine(result.decision)}\n` : '';
      process.stdout.write(`${text}\n${trace}\n`);
      prompt();
    }
  } finally {
    lines.close();
    await guichet.close();
  }
}

/** "2" after a numbered list means the second choice's value; anything else is sent as typed. */
function answerChoice(line: string, choices: Choice[]): string {
  const n = /^\d{1,2}$/.test(line) ? Number(line) : NaN;
  const byNumber = choices[n - 1];
  if (byNumber) return byNumber.value;
  const byLabel = choices.find((c) => c.label.toLowerCase() === line.toLowerCase());
  return byLabel ? byLabel.value : line;
}

run(main);
