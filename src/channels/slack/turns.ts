/**
 * A Slack turn through the core and back: profile (and DM) → `turn` → replies posted where the turn happened; a failed turn gets the apology.
 * A redelivered event (Slack retries with the same event_id; Bolt does not deduplicate) is a duplicate for the core: nothing is posted again.
 */
import { GuichetError } from '../../core/errors.ts';
import type { TurnResult } from '../../core/handle-turn.ts';
import type { InboundMessage } from '../../core/messages.ts';
import type { Logger } from '../../log.ts';
import { say } from '../../texts/index.ts';
import { apology } from '../kit/apology.ts';
import type { SlackMessage } from './blocks.ts';
import type { SlackDirectory } from './directory.ts';
import { toInbound, type SlackTurn, type Translation } from './inbound.ts';
import { renderForSlack } from './outbound.ts';
import type { SlackSender } from './sender.ts';

export interface TurnRunnerDeps {
  turn(message: InboundMessage): Promise<TurnResult>;
  log: Logger;
  directory: SlackDirectory;
  sender: SlackSender;
  /** The configured Web API URL (its origin is trusted for response_urls, besides Slack's hooks). */
  apiUrl?: string;
}

/** The runner of translated turns (`open-modal` requests are the surfaces', surfaces.ts). */
export function createTurnRunner(deps: TurnRunnerDeps) {
  const { log, directory, sender } = deps;

  async function run(t: SlackTurn, retryNum?: number): Promise<void> {
    let personal: string | undefined;
    let result: TurnResult;
    try {
      const [profile, dm] = await Promise.all([
        directory.profile(t.teamId, t.userId),
        t.place.kind === 'private' || t.place.kind === 'command' ? directory.dmChannel(t.teamId, t.userId) : Promise.resolve(undefined),
      ]);
      personal = dm;
      result = await deps.turn(toInbound(t, profile, personal));
    } catch (err) {
      log.error({ err, deliveryId: t.deliveryId }, 'slack: turn failed');
      await deliver(t, personal, [{ text: apology() }]).catch((sendErr: unknown) => {
        log.warn({ err: sendErr, deliveryId: t.deliveryId }, 'slack: could not send the apology either');
      });
      return;
    }
    if (result.duplicate) {
      log.info({ deliveryId: t.deliveryId, retryNum }, 'slack: delivery already processed; nothing sent again');
      return;
    }
    await deliver(t, personal, result.replies.map(renderForSlack)).catch((err: unknown) => {
      log.error({ err, deliveryId: t.deliveryId }, 'slack: replies could not be delivered');
    });
    if (t.place.kind === 'command' && personal && t.place.channel !== personal && isTrustedResponseUrl(t.place.responseUrl, deps.apiUrl)) {
      await sender.respond(t.place.responseUrl, [{ text: say(result.lang, 'channels.answeredInDm') }]).catch((err: unknown) => {
        log.warn({ err, deliveryId: t.deliveryId }, 'slack: the pointer to the DM could not be sent');
      });
    }
  }

  /** Replies where the turn happened: the DM or its thread, the channel thread, or privately. */
  async function deliver(t: SlackTurn, personal: string | undefined, messages: SlackMessage[]): Promise<void> {
    const place = t.place;
    if (place.kind === 'home') throw new GuichetError('slack.send-failed', 'slack: the Home tab is published, not posted to');
    // A command is answered in the DM, where the conversation goes on, and so is a click in the DM; elsewhere, only the user sees it.
    if (place.kind === 'dm' || place.kind === 'thread') await sender.post(place, messages);
    else if (personal && (place.kind === 'command' || place.channel === personal)) await sender.post({ channel: personal }, messages);
    else if (isTrustedResponseUrl(place.responseUrl, deps.apiUrl)) await sender.respond(place.responseUrl, messages);
    else if (!personal) throw new GuichetError('slack.send-failed', `slack: nowhere to answer a ${place.kind} (no DM and an untrusted response_url)`);
    else {
      log.warn({ deliveryId: t.deliveryId }, 'slack: response_url is not a Slack URL; answering in the DM instead');
      await sender.post({ channel: personal }, messages);
    }
  }

  /** A translated request: a turn is run, an ignored one logged. */
  return async function handle(translation: Exclude<Translation, { kind: 'open-modal' }>, retryNum?: number): Promise<void> {
    if (translation.kind === 'ignore') log.debug({ reason: translation.reason }, 'slack: request ignored');
    else await run(translation.turn, retryNum);
  };
}

/** response_urls come from signed requests; posting only to Slack's hooks (or the configured API host) limits the harm of a leaked secret. */
export function isTrustedResponseUrl(url: string, apiUrl?: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol === 'https:' && (parsed.hostname === 'hooks.slack.com' || parsed.hostname === 'hooks.slack-gov.com')) return true;
  return apiUrl !== undefined && parsed.origin === new URL(apiUrl).origin;
}
