/**
 * The Teams channel: `POST /api/messages` (botbuilder authenticates, teams-ai's
 * Application routes every message activity, card submits included, to one
 * handler) and a ChannelSender for proactive messages.
 *
 * The handler only translates: tenant check → `toInbound` → `turn` → render
 * the replies. A redelivered activity (same id) is answered by the core from
 * the database without a second processing, and nothing is sent again: the
 * first delivery's replies were (or are being) sent by the first request.
 * On a user's first message (in this process) their e-mail is asked from
 * Teams' member record (profile.ts), so that people the configuration knows
 * by e-mail are recognised. Installing the app in a personal chat greets the
 * user (which stores the conversation reference); Universal Actions arrive as
 * `adaptiveCard/action` invokes. Other activity types get HTTP 200 and do nothing.
 */
import { Application } from '@microsoft/teams-ai';
import { ActivityTypes, type TurnContext } from 'botbuilder';
import express, { type NextFunction, type Request, type Response } from 'express';
import { z } from 'zod';
import type { Config } from '../../config.ts';
import type { TurnResult } from '../../core/handle-turn.ts';
import type { InboundMessage } from '../../core/messages.ts';
import type { AgentChannelPoster, ChannelSender } from '../../core/ports.ts';
import type { Logger } from '../../log.ts';
import { apology } from '../kit/apology.ts';
import type { ChannelMount } from '../../core/channel-contract.ts';
import { createBotAdapter, type TeamsCredentials } from './adapter.ts';
import { activityProblem, createTeamsGate, withDates } from './auth.ts';
import { tenantOf, toInbound } from './inbound.ts';
import { renderForTeams } from './outbound.ts';
import type { RetryPolicy } from '../kit/retry.ts';
import { createTeamsPoster, threadKeyOf } from './poster.ts';
import { createProfileLookup } from './profile.ts';
import { withTeamsEditing } from './editable.ts';
import { createTeamsSender, deliver, teamsRetryPolicy } from './sender.ts';

export const TEAMS_PATH = '/api/messages';
/** Largest activity accepted; Teams' own messages stay far below. */
export const MAX_BODY = '256kb';

/** The least a body must be before botbuilder sees it; botbuilder validates the rest. */
const activityShape = z.object({ type: z.string().min(1) }).passthrough();


export interface TeamsChannelDeps {
  config: TeamsCredentials & Pick<Config, 'TEAMS_TENANT_IDS'>;
  turn(message: InboundMessage): Promise<TurnResult>;
  log: Logger;
  /** Overrides of the Bot Connector retry policy (tests make the delays instant). */
  retry?: Partial<RetryPolicy>;
  /**
   * Whether a channel thread (its Teams thread key, as teamsThreadKey makes it) is the thread of one
   * of Guichet's escalation cards: agents' replies there are for Guichet without an @mention.
   */
  isEscalationThread?: (threadKey: string) => Promise<boolean>;
}

export interface TeamsChannel {
  mount: ChannelMount<express.Router>;
  sender: ChannelSender;
  /** Escalation cards in agents' channels, their updates and thread replies. */
  poster: AgentChannelPoster;
}

/** `{action: {type: 'Action.Execute', verb, data}}` → the `{verb, …data}` shape of an Action.Submit. */
function universalAction(value: unknown): unknown {
  const action = (value as { action?: { verb?: unknown; data?: unknown } } | undefined)?.action;
  if (!action || typeof action.verb !== 'string') return undefined;
  const data = action.data && typeof action.data === 'object' && !Array.isArray(action.data) ? (action.data as Record<string, unknown>) : {};
  return { ...data, verb: action.verb };
}

export function createTeamsChannel(deps: TeamsChannelDeps): TeamsChannel {
  const log = deps.log.child({ channel: 'teams' });
  const retry: RetryPolicy = { ...teamsRetryPolicy, ...deps.retry };
  const { adapter, auth } = createBotAdapter(deps.config, log);
  const gate = createTeamsGate(auth, log);
  const tenants = new Set(deps.config.TEAMS_TENANT_IDS);
  const served = (tenantId: string) => tenants.size === 0 || tenants.has(tenantId);
  // The sender's e-mail from Teams' member record, once per user: people known by e-mail are recognised.
  const profiles = createProfileLookup(log);

  /** The core's answer to `message`, sent on the turn's conversation unless the delivery was already answered. */
  async function answer(context: TurnContext, message: InboundMessage): Promise<TurnResult> {
    const result = await deps.turn(await profiles.enrich(context, message));
    if (result.duplicate) log.info({ activityId: context.activity.id }, 'teams: redelivered activity already processed; nothing sent again');
    else await deliver(context, result.replies.map(renderForTeams), retry);
    return result;
  }

  const app = new Application({ removeRecipientMention: false, startTypingTimer: false, longRunningMessages: false });
  // One route for every message: typed text, @mentions and Action.Submit card data alike.
  app.activity(ActivityTypes.Message, async (context) => onMessage(context));
  // Installed in a personal scope: greet, which also stores the conversation reference for proactive messages.
  app.activity(ActivityTypes.ConversationUpdate, async (context) => onInstalled(context));

  async function onInstalled(context: TurnContext): Promise<void> {
    const activity = context.activity;
    const botId = activity.recipient?.id;
    const added = (activity.membersAdded ?? []).some((m) => m.id === botId);
    if (!added || activity.conversation?.conversationType !== 'personal') return;
    if (!served(tenantOf(activity))) return;
    const greeting = (activity.locale ?? '').toLowerCase().startsWith('fr') ? 'bonjour' : 'hello';
    const translation = toInbound({ ...activity, type: ActivityTypes.Message, text: greeting } as typeof activity);
    if (translation.kind !== 'ignore') await answer(context, translation.message);
  }

  async function onMessage(context: TurnContext): Promise<void> {
    const activity = context.activity;
    const tenantId = tenantOf(activity);
    if (!served(tenantId)) {
      log.warn({ tenantId, activityId: activity.id, conversationType: activity.conversation?.conversationType }, 'teams: message from a tenant not in TEAMS_TENANT_IDS ignored');
      return;
    }
    let translation = toInbound(activity);
    // An agent answering under an escalation card need not @mention Guichet; other channel talk stays private.
    if (translation.kind === 'ignore' && translation.reason === 'not-mentioned' && activity.conversation?.conversationType === 'channel' && deps.isEscalationThread) {
      if (await deps.isEscalationThread(threadKeyOf(tenantId, activity.conversation.id))) translation = toInbound(activity, { addressed: true });
    }
    if (translation.kind === 'ignore') log.debug({ reason: translation.reason, activityId: activity.id }, 'teams: activity ignored');
    else await answer(context, translation.message);
  }

  /**
   * A Universal Action (Action.Execute) arrives as an `adaptiveCard/action` invoke: it goes to the
   * core like a card submit, the replies are sent to the conversation, and the invoke is answered
   * with a short message (the card itself is updated in place by whoever changed the ticket).
   */
  async function onCardAction(context: TurnContext): Promise<void> {
    const activity = context.activity;
    const tenantId = tenantOf(activity);
    const respond = (text: string) =>
      context.sendActivity({ type: ActivityTypes.InvokeResponse, value: { status: 200, body: { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: text } } });
    if (!served(tenantId)) {
      log.warn({ tenantId, activityId: activity.id }, 'teams: card action from a tenant not in TEAMS_TENANT_IDS ignored');
      return respond('').then(() => undefined);
    }
    const translation = toInbound({ ...activity, type: ActivityTypes.Message, value: universalAction(activity.value) } as typeof activity);
    if (translation.kind === 'ignore' || !translation.message.action) return respond('').then(() => undefined);
    const result = await answer(context, translation.message);
    const first = result.replies.find((r) => r.type === 'text');
    await respond(first?.type === 'text' ? first.text.slice(0, 200) : '');
  }

  async function runTurn(context: TurnContext): Promise<void> {
    try {
      if (context.activity.type === ActivityTypes.Invoke && context.activity.name === 'adaptiveCard/action') {
        await onCardAction(context);
        return;
      }
      await app.run(context);
    } catch (err) {
      // Answered 200 all the same: a 5xx would only make the Bot Connector retry a failing turn.
      log.error({ err, activityId: context.activity.id }, 'teams: turn failed');
      await context.sendActivity(renderForTeams({ type: 'text', text: apology() })).catch((sendErr: unknown) => {
        log.warn({ err: sendErr, activityId: context.activity.id }, 'teams: could not send the apology either');
      });
    }
  }

  const router = express.Router();
  router.post('/', express.json({ limit: MAX_BODY }), async (req: Request, res: Response) => {
    // botbuilder throws a plain Error (→ 500) on a body without a type: refuse it here with a 400.
    if (!activityShape.safeParse(req.body).success) {
      res.status(400).json({ error: 'invalid-activity', message: 'teams: the body is not a Bot Framework activity (no "type")' });
      return;
    }
    // No sender, no conversation, nowhere to answer: refused before anything runs (auth.ts).
    const problem = activityProblem(req.body);
    if (problem) {
      log.warn({ event: 'teams.invalid-activity', problem, activityId: (req.body as { id?: unknown }).id ?? null }, 'teams: malformed activity refused');
      res.status(400).json({ error: 'invalid-activity', message: `teams: ${problem}` });
      return;
    }
    const activity = withDates(req.body as Record<string, unknown>);
    const authenticated = await gate.authenticate(activity, req.headers.authorization, { ip: req.ip });
    if (!authenticated.ok) {
      const { status } = authenticated.refusal;
      res.status(status).json(status === 503 ? { error: 'unavailable', message: 'teams: cannot check the request now; try again later' } : { error: 'unauthenticated', message: 'teams: not authenticated' });
      return;
    }
    const invoke = await adapter.runAuthenticated(authenticated.result, activity, runTurn);
    res.status(invoke?.status ?? 200);
    if (invoke?.body !== undefined) res.json(invoke.body);
    res.end();
  });
  router.use((err: unknown, _req: Request, res: Response, next: NextFunction) => {
    const status = (err as { status?: number }).status;
    if (status === 413) res.status(413).json({ error: 'too-large', message: `teams: activity over ${MAX_BODY}` });
    else if (status === 400) res.status(400).json({ error: 'invalid-json', message: 'teams: the body is not valid JSON' });
    else next(err);
  });

  return {
    mount: { name: 'teams', path: TEAMS_PATH, handler: router },
    sender: withTeamsEditing(createTeamsSender({ adapter, appId: deps.config.MicrosoftAppId ?? '', retry }), { adapter, appId: deps.config.MicrosoftAppId ?? '', retry }),
    poster: createTeamsPoster({ adapter, appId: deps.config.MicrosoftAppId ?? '', retry }),
  };
}
