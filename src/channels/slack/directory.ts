/**
 * What Guichet looks up in Slack, once per process (kit/lookup-cache.ts): its identity (auth.test), each user's profile (users.info; the
 * core only fills the fields a user record lacks) and DM channel (conversations.open). A failed profile lookup never stops a turn.
 */
import type { webApi } from '@slack/bolt';
import { GuichetError } from '../../core/errors.ts';
import type { Logger } from '../../log.ts';
import { LookupCache } from '../kit/lookup-cache.ts';
import type { Profile } from './inbound.ts';

export type BotIdentity = { botId?: string; botUserId?: string };

export class SlackDirectory {
  private readonly profiles = new LookupCache<Profile>();
  private readonly dms = new LookupCache<string>();
  private identity: Promise<BotIdentity> | undefined;

  constructor(private readonly client: webApi.WebClient, private readonly log: Logger, known: BotIdentity = {}) {
    if (known.botId && known.botUserId) this.identity = Promise.resolve(known);
  }

  /** Guichet's bot id and bot user id (auth.test on first use; {} while Slack cannot be reached). */
  async bot(): Promise<BotIdentity> {
    this.identity ??= this.client.auth.test().then((r) => ({
      ...(typeof r.bot_id === 'string' ? { botId: r.bot_id } : {}),
      ...(typeof r.user_id === 'string' ? { botUserId: r.user_id } : {}),
    }));
    try {
      return await this.identity;
    } catch (err) {
      this.identity = undefined;
      this.log.warn({ err }, 'slack: auth.test failed; the bot identity is unknown for this request');
      return {};
    }
  }

  /** The user's profile from users.info, or {} if Slack could not tell. */
  async profile(teamId: string, userId: string): Promise<Profile> {
    try {
      return await this.profiles.get(`${teamId}:${userId}`, async () => toProfile(await this.client.users.info({ user: userId, include_locale: true })));
    } catch (err) {
      this.log.warn({ err, userId }, 'slack: users.info failed; the turn goes on without the profile');
      return {};
    }
  }

  /** The id of the user's DM with Guichet (conversations.open); throws if Slack cannot tell. */
  async dmChannel(teamId: string, userId: string): Promise<string> {
    return this.dms.get(`${teamId}:${userId}`, async () => {
      const result = await this.client.conversations.open({ users: userId });
      const id = result.channel?.id;
      if (!id) throw new GuichetError('slack.no-dm', `slack: conversations.open returned no channel for user ${userId}`);
      return id;
    });
  }
}

type UsersInfo = Awaited<ReturnType<webApi.WebClient['users']['info']>>;

/** users.info → the profile fields the core keeps (empty strings dropped). */
export function toProfile(result: UsersInfo): Profile {
  const user = result.user;
  const pick = (...values: (string | undefined)[]) => values.find((v) => typeof v === 'string' && v.trim() !== '')?.trim();
  const displayName = pick(user?.profile?.real_name, user?.real_name, user?.profile?.display_name, user?.name);
  const email = pick(user?.profile?.email);
  const locale = pick(user?.locale);
  const timeZone = pick(user?.tz);
  return {
    ...(displayName ? { displayName: displayName.slice(0, 200) } : {}),
    ...(email ? { email: email.slice(0, 320) } : {}),
    ...(locale ? { locale: locale.slice(0, 35) } : {}),
    ...(timeZone ? { timeZone: timeZone.slice(0, 64) } : {}),
  };
}
