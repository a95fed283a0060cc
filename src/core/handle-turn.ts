/**
 * The single entry point of every channel: one user message in, Guichet's
 * replies out.
 *
 * A turn is committed before its replies are returned (the transcript, the new
 * state and the processed delivery in one transaction), so anything a channel
 * shows the user is already stored. A retried delivery gets the replies of the
 * first one and changes nothing. Two turns racing on one conversation cannot
 * overwrite each other: the loser is replayed on the new state.
 */
import type { Effect } from './answer-question.ts';
import { GuichetError } from './errors.ts';
import { toLang } from './lang.ts';
import {
  MAX_FILES,
  MAX_TEXT_LENGTH,
  inboundMessageSchema,
  quotedNames,
  type InboundFile,
  type InboundMessage,
  type OutboundMessage,
  type ParsedInbound,
} from './messages.ts';
import type { ConversationRecord, UserRecord } from './ports.ts';
import { renderPlainText } from './render-text.ts';
import { maskInbound, warnOfSecrets } from './secret-guard.ts';
import type { TurnContext } from './turn-module.ts';
import { respondTo } from './turn/respond.ts';
import { say } from '../texts/index.ts';

import type { CoreDeps, TurnOutput, TurnResult } from './turn/types.ts';

export type { CoreDeps, IntentRecognizer, RecognizedIntent, TurnOutput, TurnResult } from './turn/types.ts';

/** How many times a turn is replayed when concurrent turns keep winning the race. */
const MAX_ATTEMPTS = 10;

export async function handleTurn(deps: CoreDeps, input: InboundMessage): Promise<TurnResult> {
  const parsed = inboundMessageSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new GuichetError(
      'core.invalid-inbound',
      `core: invalid inbound message at "${issue?.path.join('.') ?? ''}": ${issue?.message ?? 'invalid'}`,
      { cause: parsed.error },
    );
  }
  // Secrets typed in chat are masked here, before anything stores, relays, logs or indexes the message.
  const { message: msg, secrets, values: typedSecrets } = maskInbound(parsed.data);
  const identity = { platform: msg.channel, tenantId: msg.tenantId, externalId: msg.user.externalId };
  const key = { channel: msg.channel, tenantId: msg.tenantId, externalId: msg.conversation.externalId };
  const profile = { displayName: msg.user.displayName, email: msg.user.email, locale: toLang(msg.user.locale), timeZone: msg.user.timeZone };
  // The replay check, the user and the conversation in one read where the store can (the first attempt uses it); on a
  // first contact the same round trip writes the user and the conversation where it can (`written`).
  const opening = await deps.conversations.openTurn?.({ channel: msg.channel, deliveryId: msg.deliveryId }, identity, key, {
    profile,
    reference: msg.conversation.reference,
    kind: msg.conversation.kind,
  });
  const replayed = opening ? opening.replies : await deps.conversations.repliesFor(msg.channel, msg.deliveryId);
  if (replayed) return { replies: replayed, lang: deps.defaultLang, duplicate: true, conversationId: null, userId: null };

  const first = opening?.written;
  const { created: userCreated, ...user } = first?.user ?? (await deps.users.identify(identity, profile, opening?.user));
  for (let attempt = 1; ; attempt += 1) {
    const conversation =
      attempt === 1 && first
        ? first.conversation
        : await deps.conversations.open(
            key,
            msg.conversation.kind === 'personal' ? user.id : null,
            msg.conversation.reference,
            msg.conversation.kind,
            attempt === 1 ? opening?.conversation : undefined,
          );
    // A replayed attempt follows another turn's commit on this conversation: what it wrote may reference both by now.
    const created = attempt === 1 && (userCreated || conversation.created) ? { user: Boolean(userCreated), conversation: Boolean(conversation.created) } : undefined;
    const turn = warnOfSecrets(secrets, await respond(deps, msg, user, conversation, typedSecrets, created), conversation.state);
    const outcome = await deps.conversations.commitTurn({
      conversationId: conversation.id,
      expectedVersion: conversation.version,
      userId: user.id,
      state: turn.state,
      transcript: [
        { direction: 'in', author: 'user', kind: msg.action ? 'action' : 'text', text: turn.inboundText, payload: inboundPayload(msg, turn.intent) },
        ...turn.replies.map((r) => ({ direction: 'out' as const, author: 'bot' as const, kind: r.type, text: renderPlainText(r), payload: r })),
      ],
      delivery: { channel: msg.channel, deliveryId: msg.deliveryId, replies: turn.replies },
      at: deps.clock.now(),
    });
    if (outcome === 'committed') {
      if (turn.chosenLang) await deps.users.setLocale(user.id, turn.chosenLang);
      await runEffects(turn.effects, deps.onEffectError);
      deps.onDecision?.(turn.decision, { conversationId: conversation.id, userId: user.id });
      return { replies: turn.replies, lang: turn.lang, duplicate: false, conversationId: conversation.id, userId: user.id, decision: turn.decision };
    }
    if (outcome === 'duplicate') {
      const first = await deps.conversations.repliesFor(msg.channel, msg.deliveryId);
      return { replies: first ?? [], lang: turn.lang, duplicate: true, conversationId: conversation.id, userId: user.id };
    }
    if (attempt >= MAX_ATTEMPTS) {
      throw new GuichetError('core.conversation-conflict', `core: conversation ${conversation.id} kept changing during ${MAX_ATTEMPTS} attempts`);
    }
    // Jittered pause so that turns racing on one conversation spread out.
    await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * attempt));
  }
}

/** How long files that no ticket took yet wait for the conversation's next ticket. */
const HOLD_FILES_MS = 2 * 60 * 60 * 1000;

/**
 * Files the user sends: a module that attaches them to a ticket takes them (`ctx.takeFiles()`); the
 * others are held in the conversation for its next ticket, and in a guided diagnosis the user is told so.
 */
async function respond(
  deps: CoreDeps,
  msg: ParsedInbound,
  user: UserRecord,
  conversation: ConversationRecord,
  typedSecrets: string[],
  created: TurnContext['created'],
): Promise<TurnOutput> {
  const now = deps.clock.now();
  const current = msg.files ?? [];
  const held = (conversation.state.heldFiles ?? []).filter((f) => now.getTime() - Date.parse(f.at) < HOLD_FILES_MS);
  let taken = false;
  const files = {
    current,
    take: (): InboundFile[] => {
      taken = true;
      return [...held.map(({ at: _at, ...file }) => file), ...current];
    },
    keep: (): void => {
      taken = false;
    },
  };
  const out = await respondTo(deps, msg, user, conversation, files, typedSecrets, created);
  const heldFiles = taken ? [] : [...held, ...current.map((f) => ({ ...f, at: now.toISOString() }))].slice(-MAX_FILES);
  const state = { ...out.state, heldFiles: heldFiles.length > 0 ? heldFiles : undefined, lastTurnAt: now.toISOString() };
  // Files alone outside a diagnosis were answered by the ticket module (or refused); with words or in a diagnosis, say they are kept.
  const told = taken || current.length === 0 || (out.state.flow === undefined && !msg.text?.trim());
  const note: OutboundMessage[] = told ? [] : [{ type: 'text', text: say(out.lang, 'core.fileHeld', { files: quotedNames(current, out.lang) }) }];
  return { ...out, replies: [...note, ...out.replies], state };
}

async function runEffects(effects: Effect[], onError: ((err: unknown) => void) | undefined): Promise<void> {
  for (const effect of effects) {
    try {
      await effect();
    } catch (err) {
      // The turn is committed and answered; a lost rating or gap must not fail it.
      onError?.(err);
    }
  }
}

/** What the transcript keeps beside the text: the action, or the whole text when it was cut. */
function inboundPayload(msg: ParsedInbound, intent: string | undefined): unknown {
  if (msg.action) return msg.action;
  const text = msg.text?.trim() ?? '';
  const payload = {
    ...(text.length > MAX_TEXT_LENGTH ? { fullText: text } : {}),
    ...(intent ? { intent } : {}),
    ...(msg.files?.length ? { files: msg.files } : {}),
  };
  return Object.keys(payload).length > 0 ? payload : undefined;
}
