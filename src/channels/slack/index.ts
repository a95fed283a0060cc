/** The Slack channel, as the composition root sees it. */
import type { Config } from '../../config.ts';
import { createSlackChannel, type SlackChannel, type SlackChannelDeps } from './channel.ts';

export { createSlackChannel, SLACK_PATH, type SlackChannel, type SlackChannelDeps } from './channel.ts';
export { parseCardAction, cardActionId } from './actions.ts';
export { admit } from './admit.ts';
export { homeView } from './home.ts';
export { fromBlockActions, fromEvent, fromSlashCommand } from './inbound.ts';
export { checkSubmission, ticketModal, type SlackService } from './modal.ts';
export { escapeMrkdwn, markdownToMrkdwn, renderForSlack, type SlackMessage } from './outbound.ts';
export { createSlackAgentPoster, slackThreadKey, type SlackChannelAddress, type SlackPostRef } from './poster.ts';
export { createSlackSender, type SlackSender, type SlackTarget } from './sender.ts';
export { toInbound, type SlackReference } from './to-inbound.ts';
export { isTrustedResponseUrl } from './turns.ts';
export { checkSignature, ReplayCache, signature } from './verify.ts';

/**
 * The Slack channel for `config`, or undefined when Slack is not among config.channels.
 * `deps.services` (the service catalogue, when the core has a ticket desk) enables the ticket modal
 * and the Home tab's tickets.
 */
export function slackChannelFor(config: Config, deps: Omit<SlackChannelDeps, 'config'>): SlackChannel | undefined {
  return config.channels.has('slack') ? createSlackChannel({ config, ...deps }) : undefined;
}
