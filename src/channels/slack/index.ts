/** The Slack channel, as the composition root sees it. */
import type { Config } from '../../config.ts';
import { createSlackChannel, type SlackChannel, type SlackChannelDeps } from './channel.ts';

export { createSlackChannel, isTrustedResponseUrl, SLACK_PATH, type SlackChannel, type SlackChannelDeps } from './channel.ts';
export { admit, fromBlockActions, fromEvent, fromSlashCommand, toInbound, type SlackReference } from './inbound.ts';
export { escapeMrkdwn, markdownToMrkdwn, renderForSlack, type SlackMessage } from './outbound.ts';
export { createSlackSender, type SlackSender, type SlackTarget } from './sender.ts';
export { checkSignature, ReplayCache, signature } from './verify.ts';

/** The Slack channel for `config`, or undefined when Slack is not among config.channels. */
export function slackChannelFor(config: Config, deps: Omit<SlackChannelDeps, 'config'>): SlackChannel | undefined {
  return config.channels.has('slack') ? createSlackChannel({ config, ...deps }) : undefined;
}
