/**
 * The directory in a conversation (a TurnModule placed before the flows): when someone starts the
 * password or MFA guide, Guichet first reads their real account and takes the matching branch
 * instead of asking — locked: offer to unlock; password expired: offer a reset link; disabled: a
 * ticket; nothing wrong: offer a reset link for a forgotten password. Sensitive actions ask for the
 * one-time code sent to the second channel; three wrong codes stop and open a P2 security ticket;
 * a directory that is down or refuses gives a clear message and a ticket carrying the diagnosis.
 * Every action that is done is recorded on a request ticket resolved by the automation.
 *
 * "No" to the offer, or a person the directory cannot act for (not found, policy), goes on to the
 * ordinary guide (the flows module), so nothing is lost. Each action runs once per delivery
 * (`ctx.origin` is its idempotency key). State: `state.directory`.
 */
import { z } from 'zod';
import { fold, recognizeCommand, recognizeConfirmation } from '../core/commands.ts';
import type { Lang } from '../core/lang.ts';
import type { OutboundMessage } from '../core/messages.ts';
import type { TurnContext, TurnModule, TurnReply } from '../core/turn-module.ts';
import { say } from '../texts/index.ts';
import type { ActionOutcome, DirectoryActions } from './actions.ts';
import type { ChatIdentity } from './identity.ts';
import { actionWords, describeOutcome } from './outcome-text.ts';
import type { DirectoryAction } from './policy.ts';

/** What the module waits for. */
const waitingSchema = z.discriminatedUnion('step', [
  z.object({ step: z.literal('confirm'), action: z.enum(['unlock', 'reset-password', 'reset-mfa']), flowId: z.string(), utterance: z.string() }),
  z.object({ step: z.literal('code'), action: z.enum(['unlock', 'reset-password', 'reset-mfa']), challengeId: z.string(), flowId: z.string(), utterance: z.string() }),
]);
type Waiting = z.infer<typeof waitingSchema>;

/** A ticket the module opens; every call is idempotent per `origin`. */
export interface DirectoryTicket {
  kind: 'automated' | 'failure' | 'security' | 'disabled';
  title: string;
  description: string;
  requesterId: string;
  conversationId: string;
  origin: string;
}

/** Where the module's tickets go (the ticket desk, in the composition root). */
export interface DirectoryTickets {
  /** Opens the ticket; answers its number. */
  open(ticket: DirectoryTicket): Promise<number>;
  /** Resolves an `automated` ticket at first level, as the automation (once: a resolved one is left as is). */
  resolve(number: number, resolution: string): Promise<void>;
}

export interface DirectoryChatDeps {
  actions: DirectoryActions;
  /** Who the person is on their platform, as far as it vouches; undefined: the directory is not used. */
  identityOf(ctx: TurnContext): Promise<ChatIdentity | undefined>;
  tickets?: DirectoryTickets;
  /** PUBLIC_URL, to which the reset link's path is joined. */
  publicUrl?: string;
  /** The directory keeps MFA methods (Entra ID): the MFA guide offers re-registration. */
  mfa: boolean;
  /** Flow ids whose start reads the account first: the password guide and the MFA guide. */
  flows?: { password: string; mfa: string };
}

const CODE = /(?<!\d)(\d{6})(?!\d)/;
/** Refusals about the code itself: the request ends there. */
const CODE_REFUSALS = new Set<string>(['code-expired', 'too-many-attempts']);

/**
 * Two modules: `waiting` answers what the directory asked (a yes/no, a code) before anything else,
 * as the ticket module does; `guides(flows)` wraps the flows module, in its place after the safety
 * and outage routes, and reads the account when the password or MFA guide would start.
 */
export function createDirectoryModules(deps: DirectoryChatDeps): { waiting: TurnModule; guides(flows: TurnModule): TurnModule } {
  const chat = new DirectoryChat(deps);
  return {
    waiting: { name: 'directory', handle: (ctx) => chat.waiting(ctx) },
    guides: (flows) => {
      chat.fallback = flows;
      return { ...flows, handle: async (ctx) => (await chat.start(ctx)) ?? flows.handle(ctx) };
    },
  };
}

class DirectoryChat {
  private readonly flows: { password: string; mfa: string };
  /** The guides the person goes on with when the directory has nothing to do. */
  fallback: TurnModule | undefined;

  constructor(private readonly deps: DirectoryChatDeps) {
    this.flows = deps.flows ?? { password: 'password', mfa: 'mfa' };
  }

  /** An answer to the directory's question. */
  async waiting(ctx: TurnContext): Promise<TurnReply | undefined> {
    if (ctx.action || !ctx.text || ctx.state.directory === undefined) return undefined;
    const saved = waitingSchema.safeParse(ctx.state.directory);
    // A state this version cannot read is forgotten, and the message read as usual.
    if (!saved.success) return this.fallback?.handle({ ...ctx, state: { ...ctx.state, directory: undefined } });
    return this.answer(ctx, saved.data);
  }

  /** The start of the password or MFA guide, with the account read first; undefined: the guide as usual. */
  async start(ctx: TurnContext): Promise<TurnReply | undefined> {
    if (ctx.action || !ctx.text || ctx.state.flow !== undefined || ctx.state.directory !== undefined || recognizeCommand(ctx.text)) return undefined;
    const flowId = ctx.intent?.name;
    if (flowId !== this.flows.password && !(flowId === this.flows.mfa && this.deps.mfa)) return undefined;
    const requester = await this.deps.identityOf(ctx);
    if (!requester) return undefined;
    return flowId === this.flows.mfa ? this.offer(ctx, [], 'reset-mfa', flowId) : this.readAccount(ctx, requester, flowId);
  }

  /** The password guide's first step: the account's real state decides what to offer. */
  private async readAccount(ctx: TurnContext, requester: ChatIdentity, flowId: string): Promise<TurnReply | undefined> {
    const outcome = await this.perform(ctx, requester, 'status', `${ctx.origin}:status`);
    if (outcome.kind === 'failed') return this.failure(ctx, outcome, requester, ctx.text);
    if (outcome.kind === 'refused') {
      // The directory may not be used for this person: said once, then the ordinary guide.
      if (outcome.reason === 'action-disabled') return this.goOn(ctx, [], flowId, ctx.text);
      return this.goOn(ctx, [text(describeOutcome(outcome, ctx.lang))], flowId, ctx.text);
    }
    if (outcome.kind !== 'done' || !outcome.status) return this.goOn(ctx, [], flowId, ctx.text);
    const status = outcome.status;
    const changed = status.passwordChangedAt ? formatDay(status.passwordChangedAt, ctx.lang) : say(ctx.lang, 'directory.chatUnknownDate');
    if (status.disabled) {
      const lines = [text(say(ctx.lang, 'directory.chatDisabled'))];
      const number = await this.ticket(ctx, {
        kind: 'disabled',
        title: say(ctx.lang, 'directory.ticketDisabledTitle', { account: outcome.accountId }),
        description: say(ctx.lang, 'directory.ticketDisabledBody', { account: outcome.accountId, utterance: ctx.text }),
      });
      if (number !== undefined) lines.push(text(say(ctx.lang, 'directory.chatTicketOpened', { number })));
      return this.done(ctx, lines);
    }
    if (status.locked) return this.offer(ctx, [say(ctx.lang, 'directory.chatLocked')], 'unlock', flowId);
    if (status.passwordExpired || status.mustChangePassword) return this.offer(ctx, [say(ctx.lang, 'directory.chatExpired', { changed })], 'reset-password', flowId);
    return this.offer(ctx, [say(ctx.lang, 'directory.chatAccountOk', { changed })], 'reset-password', flowId);
  }

  private offer(ctx: TurnContext, lead: string[], action: Waiting['action'], flowId: string): TurnReply {
    const question = lead.length > 0 ? lead.join('\n\n') : say(ctx.lang, 'directory.chatMfaOffer');
    return {
      replies: [yesNo(question, ctx.lang)],
      state: { ...ctx.state, directory: { step: 'confirm', action, flowId, utterance: ctx.text } satisfies Waiting },
    };
  }

  private async answer(ctx: TurnContext, waiting: Waiting): Promise<TurnReply | undefined> {
    if (recognizeCommand(ctx.text)?.kind === 'cancel') return this.done(ctx, [text(say(ctx.lang, 'directory.chatCancelled'))]);
    if (waiting.step === 'confirm') {
      const answer = recognizeConfirmation(ctx.text);
      if (answer === 'no') return this.goOn(ctx, [text(say(ctx.lang, 'directory.chatDeclined'))], waiting.flowId, waiting.utterance);
      if (answer !== 'yes') {
        // Another guide asked for: the offer lapses; anything else: the yes/no is asked again.
        const other = await this.fallback?.handle({ ...ctx, state: { ...ctx.state, directory: undefined } });
        return other ?? { replies: [yesNo(say(ctx.lang, 'directory.chatYesNo'), ctx.lang)], state: ctx.state };
      }
      return this.act(ctx, waiting);
    }
    // « le code est 482913 » reaches us masked (core/secrets.ts): the code is among the values masked this turn.
    const code = [ctx.text, ...(ctx.typedSecrets ?? [])].map((t) => CODE.exec(fold(t).replace(/\s+/g, ''))?.[1]).find(Boolean);
    if (!code) return { replies: [text(say(ctx.lang, 'directory.chatCodeFormat'))], state: ctx.state };
    return this.act(ctx, waiting, { challengeId: waiting.challengeId, code });
  }

  private async act(ctx: TurnContext, waiting: Waiting, code?: { challengeId: string; code: string }): Promise<TurnReply | undefined> {
    const requester = await this.deps.identityOf(ctx);
    if (!requester) return this.done(ctx, [text(say(ctx.lang, 'directory.refusedUnverified'))]);
    const { action } = waiting;
    const outcome = await this.perform(ctx, requester, action, ctx.origin, code);
    const said = text(describeOutcome(outcome, ctx.lang, this.deps.publicUrl));
    switch (outcome.kind) {
      case 'code-sent':
        return { replies: [said], state: { ...ctx.state, directory: { step: 'code', action, challengeId: outcome.challengeId, flowId: waiting.flowId, utterance: waiting.utterance } satisfies Waiting } };
      case 'failed':
        return this.failure(ctx, outcome, requester, waiting.utterance);
      case 'refused': {
        if (outcome.reason === 'code-mismatch') return { replies: [said], state: ctx.state };
        // Not for the bot to do (privileged, limit, no second channel…): the ordinary guide leads to the service desk.
        if (!CODE_REFUSALS.has(outcome.reason)) return this.goOn(ctx, [said], waiting.flowId, waiting.utterance);
        const lines = [said];
        if (outcome.securityTicket) {
          const number = await this.ticket(ctx, {
            kind: 'security',
            title: say(ctx.lang, 'directory.ticketSecurityTitle', { action: actionWords(action, ctx.lang) }),
            description: say(ctx.lang, 'directory.ticketSecurityBody', { action: actionWords(action, ctx.lang), account: requesterAccount(outcome, requester), requester: describe(requester) }),
          });
          if (number !== undefined) lines.push(text(say(ctx.lang, 'directory.chatSecurityTicket', { number })));
        }
        return this.done(ctx, lines);
      }
      case 'dry-run':
        return this.done(ctx, [said]);
      case 'done': {
        const lines = [said];
        const words = actionWords(action, ctx.lang);
        const number = await this.ticket(ctx, {
          kind: 'automated',
          title: say(ctx.lang, 'directory.ticketAutomatedTitle', { action: words }),
          description: say(ctx.lang, 'directory.ticketAutomatedBody', { requester: describe(requester), account: outcome.accountId, action: words, result: outcome.kind }),
        });
        if (number === undefined) return this.done(ctx, lines);
        lines.push(text(say(ctx.lang, 'directory.chatRecorded', { number })));
        // Resolved once the turn is committed, so that "is it fixed?" comes after the answer.
        const resolution = say(ctx.lang, 'directory.ticketAutomatedResolution', { action: words });
        const tickets = this.deps.tickets;
        return { ...this.done(ctx, lines), effects: [() => tickets!.resolve(number, resolution)] };
      }
    }
  }

  /** Directory down or refusing: the person is told, and a ticket carries the diagnosis. */
  private async failure(ctx: TurnContext, outcome: Extract<ActionOutcome, { kind: 'failed' }>, requester: ChatIdentity, utterance: string): Promise<TurnReply> {
    const lines = [text(describeOutcome(outcome, ctx.lang))];
    const number = await this.ticket(ctx, {
      kind: 'failure',
      title: say(ctx.lang, 'directory.ticketFailedTitle', { action: actionWords(outcome.action, ctx.lang) }),
      description: say(ctx.lang, 'directory.ticketFailedBody', { utterance: `${utterance} (${describe(requester)})`, action: actionWords(outcome.action, ctx.lang), reason: outcome.reason, detail: outcome.detail }),
    });
    if (number !== undefined) lines.push(text(say(ctx.lang, 'directory.chatTicketOpened', { number })));
    return this.done(ctx, lines);
  }

  private perform(ctx: TurnContext, requester: ChatIdentity, action: DirectoryAction, key: string, code?: { challengeId: string; code: string }): Promise<ActionOutcome> {
    return this.deps.actions.perform({ idempotencyKey: key, requester, action, lang: ctx.lang, ...(code ? { code } : {}) });
  }

  private async ticket(ctx: TurnContext, ticket: Omit<DirectoryTicket, 'requesterId' | 'conversationId' | 'origin'>): Promise<number | undefined> {
    return this.deps.tickets?.open({ ...ticket, requesterId: ctx.user.id, conversationId: ctx.conversationId, origin: `${ctx.origin}:directory` });
  }

  private done(ctx: TurnContext, replies: OutboundMessage[]): TurnReply {
    return { replies, state: { ...ctx.state, directory: undefined } };
  }

  /** The ordinary guide, started with the first message, after `lead`. */
  private async goOn(ctx: TurnContext, lead: OutboundMessage[], flowId: string, utterance: string): Promise<TurnReply> {
    const cleared = { ...ctx, state: { ...ctx.state, directory: undefined } };
    const next = await this.fallback?.handle({ ...cleared, text: utterance, intent: { name: flowId, confidence: ctx.intent?.confidence ?? 1 } });
    if (!next) return { replies: lead, state: cleared.state };
    return { ...next, replies: [...lead, ...next.replies] };
  }
}

const text = (value: string): OutboundMessage => ({ type: 'text', text: value });

function yesNo(question: string, lang: Lang): OutboundMessage {
  return {
    type: 'choices',
    text: question,
    choices: [
      { label: say(lang, 'directory.chatYes'), value: say(lang, 'directory.chatYes') },
      { label: say(lang, 'directory.chatNo'), value: say(lang, 'directory.chatNo') },
    ],
  };
}

function formatDay(date: Date, lang: Lang): string {
  return new Intl.DateTimeFormat(lang === 'fr' ? 'fr-FR' : 'en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(date);
}

function describe(identity: ChatIdentity): string {
  if (identity.channel === 'teams') return `Teams ${identity.aadObjectId ?? identity.email ?? ''}`.trim();
  if (identity.channel === 'slack') return `Slack ${identity.userId}`;
  return `web ${identity.email ?? identity.subject}`;
}

function requesterAccount(_outcome: ActionOutcome, requester: ChatIdentity): string {
  return requester.email ?? describe(requester);
}
