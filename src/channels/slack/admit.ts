/**
 * Who is served: the workspace filter run on every Slack request before any listener. Requests it
 * drops are acked and forgotten, so Slack does not retry them and nothing is stored.
 */
import { z } from 'zod';

const envelope = z
  .object({
    team_id: z.string().optional(),
    enterprise_id: z.string().nullish(),
    is_ext_shared_channel: z.boolean().optional(),
    team: z.object({ id: z.string().optional(), enterprise_id: z.string().optional() }).nullish(),
    enterprise: z.object({ id: z.string().optional() }).nullish(),
    user: z.union([z.string(), z.object({ id: z.string().optional(), team_id: z.string().optional() })]).optional(),
    user_team: z.string().optional(),
    event: z.object({ user_team: z.string().optional(), source_team: z.string().optional() }).passthrough().optional(),
  })
  .passthrough();

export type Admission = { ok: true; teamId: string } | { ok: false; reason: 'no-workspace' | 'foreign-workspace' | 'external-user' | 'shared-channel' };

/**
 * Whether Guichet serves this request: its workspace (team id, or the enterprise id of a grid org)
 * must be in `allowed` when that list is not empty, and the sender must belong to that workspace (or
 * another allowed one): external people of Slack Connect channels are not served, and nothing is
 * said in externally shared channels, where outsiders would read the answers.
 */
export function admit(body: unknown, allowed: ReadonlySet<string>): Admission {
  const parsed = envelope.safeParse(body);
  if (!parsed.success) return { ok: false, reason: 'no-workspace' };
  const b = parsed.data;
  const userTeamOfClick = typeof b.user === 'object' ? b.user.team_id : undefined;
  // Clicks of org-wide (Enterprise Grid) installs come with `team: null`: the clicker's team stands in.
  const teamId = b.team_id ?? b.team?.id ?? userTeamOfClick ?? '';
  const enterpriseId = b.enterprise_id ?? b.team?.enterprise_id ?? b.enterprise?.id ?? '';
  if (!teamId) return { ok: false, reason: 'no-workspace' };
  if (allowed.size > 0 && !allowed.has(teamId) && !(enterpriseId && allowed.has(enterpriseId))) return { ok: false, reason: 'foreign-workspace' };
  if (b.is_ext_shared_channel === true) return { ok: false, reason: 'shared-channel' };
  const userTeam = b.event?.user_team ?? userTeamOfClick ?? b.user_team;
  if (userTeam && userTeam !== teamId && !allowed.has(userTeam)) return { ok: false, reason: 'external-user' };
  return { ok: true, teamId };
}
