/** The Slack channel, as the composition root sees it (loaded only when Slack is served). */
export { createSlackChannel, SLACK_PATH, slackChannelFor, type SlackChannel, type SlackChannelDeps } from './channel.ts';
export { slackThreadKey } from './poster.ts';
