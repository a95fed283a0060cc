/**
 * Activities as Microsoft Teams posts them to /api/messages (auth off in tests: no
 * Authorization header), for the Teams integration tests: a personal chat message, a
 * channel-thread message @mentioning the bot, and the POST itself.
 */
import { randomUUID } from 'node:crypto';

export const TEAMS_TENANT = 'tenant-contoso';
export const TEAMS_BOT = { id: '28:guichet-bot', name: 'Guichet' };

export interface TeamsPerson {
  key: string;
  name: string;
  locale: string;
}

export const teamsPerson = (name: string, locale = 'en-GB'): TeamsPerson => ({ key: randomUUID(), name, locale });

/** A message in `who`'s personal chat with the bot; `fields` override any part. */
export function personalActivity(serviceUrl: string, who: TeamsPerson, fields: Record<string, unknown>, tenant = TEAMS_TENANT): Record<string, any> {
  return {
    type: 'message',
    id: `1${Date.now()}${Math.floor(Math.random() * 1e6)}`,
    timestamp: new Date().toISOString(),
    channelId: 'msteams',
    serviceUrl,
    from: { id: `29:${who.key}`, aadObjectId: `aad-${who.key}`, name: who.name },
    recipient: TEAMS_BOT,
    conversation: { id: `a:${who.key}`, conversationType: 'personal', tenantId: tenant },
    channelData: { tenant: { id: tenant } },
    locale: who.locale,
    ...fields,
  };
}

/** A message in a team channel's thread (conversation id `thread`), @mentioning the bot unless `mention` is false. */
export function channelActivity(
  serviceUrl: string,
  who: TeamsPerson,
  where: { thread: string; channelId: string; teamId?: string },
  text: string,
  mention = true,
): Record<string, any> {
  const at = `<at>${TEAMS_BOT.name}</at>`;
  return personalActivity(serviceUrl, who, {
    text: mention ? `${at} ${text}` : text,
    conversation: { id: where.thread, conversationType: 'channel', tenantId: TEAMS_TENANT, isGroup: true },
    channelData: { tenant: { id: TEAMS_TENANT }, ...(where.teamId ? { team: { id: where.teamId } } : {}), channel: { id: where.channelId } },
    entities: mention ? [{ type: 'mention', text: at, mentioned: { id: TEAMS_BOT.id, name: TEAMS_BOT.name } }] : [],
  });
}

/** POSTs an activity to Guichet's Teams endpoint. */
export function postActivity(baseUrl: string, activity: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${baseUrl}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(activity) });
}
