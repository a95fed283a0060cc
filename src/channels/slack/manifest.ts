/**
 * Guichet's Slack app manifest (`manifest/slack/manifest.yml`): what the code needs from it, and
 * filling in the public URL. `npm run manifest:slack` (scripts/manifest-slack.ts) uses this.
 */
import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { GuichetError } from '../../core/errors.ts';
import { SLACK_PATH } from './channel.ts';

export const MANIFEST_PATH = new URL('../../../manifest/slack/manifest.yml', import.meta.url);

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
