/**
 * `npm run manifest:slack`: prints Guichet's Slack app manifest (`manifest/slack/manifest.yml`) with
 * the request URLs set from PUBLIC_URL (e.g. https://guichet.example.org), and writes it to
 * dist/slack-manifest.yml. Paste it into https://api.slack.com/apps › Create New App › From an app
 * manifest. Also exports what the manifest test checks: the scopes and events the code relies on.
 */
import '../src/bootstrap-env.ts';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { SLACK_PATH } from '../src/channels/slack/channel.ts';
import { GuichetError, isGuichetError } from '../src/core/errors.ts';

export const MANIFEST_PATH = new URL('../manifest/slack/manifest.yml', import.meta.url);
const OUTPUT = new URL('../dist/slack-manifest.yml', import.meta.url);

/** The placeholder of every request URL in the manifest. */
export const HOST_PLACEHOLDER = 'https://YOUR-HOST';

/** Bot scopes the code relies on, and why (the manifest test checks each is requested). */
export const REQUIRED_BOT_SCOPES: Readonly<Record<string, string>> = {
  'app_mentions:read': 'app_mention events (Guichet @mentioned in a channel)',
  'channels:history': 'message.channels: agents’ replies in the thread of an escalation card (public channels)',
  'groups:history': 'message.groups: agents’ replies in the thread of an escalation card (private channels)',
  'chat:write': 'chat.postMessage and chat.update (replies, DMs, escalation cards)',
  commands: 'the /guichet slash command',
  'files:read': 'the files users share with a message (screenshots, logs): their names and permalinks, attached to tickets',
  'im:history': 'message.im events (direct messages)',
  'im:read': 'direct message channels',
  'im:write': 'conversations.open (the DM of a user: /guichet answers, ticket cards, notifications)',
  'users:read': 'users.info (name, locale, time zone)',
  'users:read.email': 'users.info e-mail address (the contact record)',
};

/** Events the code listens to. */
export const REQUIRED_BOT_EVENTS: readonly string[] = ['app_home_opened', 'app_mention', 'message.channels', 'message.groups', 'message.im'];

/** The manifest with every request URL pointing at `publicUrl` + /slack/events. */
export function fillSlackManifest(yamlText: string, publicUrl: string): string {
  let url: URL;
  try {
    url = new URL(publicUrl);
  } catch {
    throw new GuichetError('slack.manifest', `slack manifest: PUBLIC_URL "${publicUrl}" is not a URL (expected e.g. https://guichet.example.org)`);
  }
  if (url.protocol !== 'https:') {
    throw new GuichetError('slack.manifest', `slack manifest: PUBLIC_URL "${publicUrl}" must be https (Slack only calls https request URLs)`);
  }
  const base = `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
  const filled = yamlText.replaceAll(`${HOST_PLACEHOLDER}${SLACK_PATH}`, `${base}${SLACK_PATH}`);
  if (filled.includes(HOST_PLACEHOLDER)) {
    throw new GuichetError('slack.manifest', `slack manifest: a request URL other than ${HOST_PLACEHOLDER}${SLACK_PATH} is left in the manifest`);
  }
  parse(filled); // still valid YAML
  return filled;
}

export async function readSlackManifest(): Promise<string> {
  return readFile(MANIFEST_PATH, 'utf8');
}

async function main(): Promise<void> {
  const publicUrl = process.env.PUBLIC_URL?.trim();
  if (!publicUrl) throw new Error('PUBLIC_URL is not set: the public https base URL of this Guichet (e.g. PUBLIC_URL=https://guichet.example.org)');
  const manifest = fillSlackManifest(await readSlackManifest(), publicUrl);
  await mkdir(new URL('.', OUTPUT), { recursive: true });
  await writeFile(OUTPUT, manifest);
  process.stdout.write(manifest);
  process.stderr.write(`\nmanifest:slack: written to dist/slack-manifest.yml\n`);
}

const isEntryPoint = process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/'));
if (isEntryPoint) {
  main().catch((err: unknown) => {
    process.stderr.write(`manifest:slack: ${isGuichetError(err) || err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
