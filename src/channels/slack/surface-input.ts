/**
 * The requests of Slack's own surfaces, translated: who opened the Home tab, who submitted which
 * ticket modal (the form inside is read by modal.ts). Untrusted JSON, validated with zod.
 */
import { z } from 'zod';

const id = z.string().min(1).max(200);

const homeOpened = z.object({ team_id: id, event_id: id.optional(), event: z.object({ type: z.literal('app_home_opened'), user: id, tab: z.string().optional() }) });

export interface HomeOpened {
  teamId: string;
  userId: string;
  /** The event_id (a redelivery carries the same one). */
  deliveryId: string;
}

/** `app_home_opened` on the Home tab → who opened it; undefined for the Messages tab or a malformed body. */
export function fromHomeOpened(body: unknown): HomeOpened | undefined {
  const parsed = homeOpened.safeParse(body);
  if (!parsed.success || parsed.data.event.tab !== 'home') return undefined;
  const { team_id: teamId, event_id: eventId, event } = parsed.data;
  return { teamId, userId: event.user, deliveryId: eventId ?? `home:${event.user}:${Date.now()}` };
}

const viewSubmission = z.object({
  type: z.literal('view_submission'),
  team: z.object({ id }).nullish(),
  user: z.object({ id, team_id: z.string().optional() }),
  view: z.object({ id, state: z.unknown(), private_metadata: z.string().max(3_000).optional() }).passthrough(),
});

export interface Submission {
  teamId: string;
  userId: string;
  viewId: string;
  /** `view.state` as sent (checked by modal.ts). */
  state: unknown;
  privateMetadata?: string;
}

/** A `view_submission` body → who submitted which view; undefined when malformed. */
export function fromViewSubmission(body: unknown): Submission | undefined {
  const parsed = viewSubmission.safeParse(body);
  if (!parsed.success) return undefined;
  const { team, user, view } = parsed.data;
  const teamId = team?.id ?? user.team_id;
  if (!teamId) return undefined;
  return { teamId, userId: user.id, viewId: view.id, state: view.state, ...(view.private_metadata !== undefined ? { privateMetadata: view.private_metadata } : {}) };
}
