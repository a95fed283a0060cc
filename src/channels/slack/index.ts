/** The Slack channel, as the composition root sees it. */
import type { Config } from '../../config.ts';
import { createSlackChannel, type SlackChannel, type SlackChannelDeps } from './channel.ts';

export { createSlackChannel, SLACK_PATH, type SlackChannel, type SlackChannelDeps } from './channel.ts';
export { type SlackService } from './modal.ts';
export { renderForSlack } from './outbound.ts';
export { slackThreadKey } from './poster.ts';
export { type SlackReference } from './to-inbound.ts';
export { isTrustedResponseUrl } from './turns.ts';

/**
 * The Slack channel for `config`, or undefined when Slack is not among config.channels.
 * `deps.services` (the service catalogue, when the core has a ticket desk) enables the ticket modal
 * and the Home tab's tickets.
 */
export function slackChannelFor(config: Config, deps: Omit<SlackChannelDeps, 'config'>): SlackChannel | undefined {
  return config.channels.has('slack') ? createSlackChannel({ config, ...deps }) : undefined;
}
