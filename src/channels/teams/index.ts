/** The Microsoft Teams channel, as the composition root sees it. */
import type { Config } from '../../config.ts';
import { createTeamsChannel, type TeamsChannel, type TeamsChannelDeps } from './channel.ts';

export { createTeamsChannel, TEAMS_PATH, type TeamsChannel, type TeamsChannelDeps } from './channel.ts';
export { renderForTeams } from './outbound.ts';
export { toInbound } from './inbound.ts';
export { createTeamsPoster, teamsThreadKey, type TeamsPost } from './poster.ts';

/** The Teams channel for `config`, or undefined when Teams is not among config.channels. */
export function teamsChannelFor(config: Config, deps: Omit<TeamsChannelDeps, 'config'>): TeamsChannel | undefined {
  return config.channels.has('teams') ? createTeamsChannel({ config, ...deps }) : undefined;
}
