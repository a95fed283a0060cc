/**
 * The sender's e-mail from Teams (TeamsInfo.getMember: the Bot Connector's member record, which
 * Teams vouches for — unlike anything typed in a message). The core uses it to recognise on first
 * contact people the configuration knows by e-mail (agents keep their role, the CMDB its assets)
 * and to fill the contact record.
 *
 * Asked once per user and process (a bounded set of ids already asked), best effort: a failed or
 * slow lookup never holds up or breaks a turn — the message goes on without an e-mail, and the
 * failure is logged without the person's data.
 */
import { TeamsInfo, type TurnContext } from 'botbuilder';
import { z } from 'zod';
import type { InboundMessage } from '../../core/messages.ts';
import { GuichetError } from '../../core/errors.ts';
import type { Logger } from '../../log.ts';
import { statusOf } from './sender.ts';

/** Users remembered as already asked; beyond this the oldest are forgotten (and asked again). */
export const MAX_REMEMBERED = 10_000;
/** Longest wait for the member record before going on without it. */
export const LOOKUP_TIMEOUT_MS = 3_000;

const memberSchema = z.object({
  email: z.string().email().max(320).optional().catch(undefined),
  userPrincipalName: z.string().max(320).optional().catch(undefined),
});

export interface ProfileLookup {
  /** `message` with `user.email` filled from Teams when this user was not looked up yet in this process. */
  enrich(context: TurnContext, message: InboundMessage): Promise<InboundMessage>;
}

export function createProfileLookup(log: Logger, timeoutMs: number = LOOKUP_TIMEOUT_MS): ProfileLookup {
  const asked = new Set<string>();

  function remember(key: string): void {
    asked.add(key);
    if (asked.size > MAX_REMEMBERED) asked.delete(asked.values().next().value as string);
  }

  return {
    async enrich(context, message) {
      const memberId = context.activity.from?.id;
      const key = `${message.tenantId ?? ''}|${message.user.externalId}`;
      if (!memberId || message.user.email || asked.has(key)) return message;
      remember(key);
      let timer: NodeJS.Timeout | undefined;
      try {
        const member = await Promise.race([
          TeamsInfo.getMember(context, memberId),
          new Promise<never>((_, reject) => {
            timer = setTimeout(() => reject(new GuichetError('teams.lookup-timeout', `teams: no member record within ${timeoutMs} ms`)), timeoutMs);
          }),
        ]);
        const parsed = memberSchema.parse(member ?? {});
        const email = parsed.email ?? (parsed.userPrincipalName && z.string().email().safeParse(parsed.userPrincipalName).success ? parsed.userPrincipalName : undefined);
        return email ? { ...message, user: { ...message.user, email } } : message;
      } catch (err) {
        const status = statusOf(err);
        // A transient failure (timeout, throttling, 5xx): asked again on a later message. A refusal (4xx): not.
        if (status === undefined || status === 429 || status >= 500) asked.delete(key);
        log.info({ activityId: context.activity.id, status }, 'teams: member profile lookup failed; going on without the e-mail');
        return message;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
