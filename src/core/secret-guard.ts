/**
 * The one place where secrets typed in chat are taken out (issue #19): handleTurn masks the inbound
 * message before anything else sees it (modules, relay to agents, transcript, gaps, logs), then adds
 * to the turn's answer what the user must hear — once per conversation, "never share a secret"; each
 * time a password was seen, that it is compromised, with the password guide offered as a button.
 */
import type { Lang } from './lang.ts';
import type { OutboundMessage, ParsedInbound } from './messages.ts';
import { maskDeep, maskSecrets, type SecretKind } from './secrets.ts';
import type { ConversationState } from './state.ts';
import type { TurnOutput } from './turn/types.ts';
import { say } from '../texts/index.ts';

/** The guide (dialogs/password.yml) that resets a password; when it already runs, no button is added. */
const PASSWORD_GUIDE = 'password';

/** The message with its secrets masked (text and card fields), and the kinds seen. */
export function maskInbound(msg: ParsedInbound): { message: ParsedInbound; secrets: SecretKind[]; values: string[] } {
  const text = msg.text === undefined ? undefined : maskSecrets(msg.text);
  const seen: SecretKind[] = [...(text?.kinds ?? [])];
  const action = msg.action ? { verb: msg.action.verb, data: maskDeep(msg.action.data, seen) } : undefined;
  if (seen.length === 0) return { message: msg, secrets: [], values: [] };
  return { message: { ...msg, ...(text ? { text: text.text } : {}), ...(action ? { action } : {}) }, secrets: seen, values: text?.values ?? [] };
}

/** The turn with the warning (first time in the conversation) and the reset offer (a password) added. */
export function warnOfSecrets(secrets: SecretKind[], turn: TurnOutput, before: ConversationState): TurnOutput {
  if (secrets.length === 0) return turn;
  const lang: Lang = turn.lang;
  const lead: OutboundMessage[] = [];
  const tail: OutboundMessage[] = [];
  const warned = before.secretWarned === true || turn.state.secretWarned === true;
  if (!warned) lead.push({ type: 'text', text: say(lang, 'privacy.secretMasked') });
  if (secrets.includes('password')) {
    const offer = turn.decision.flow !== PASSWORD_GUIDE;
    tail.push(
      offer
        ? { type: 'choices', text: say(lang, 'privacy.passwordCompromised'), choices: [{ label: say(lang, 'privacy.resetLabel'), value: say(lang, 'privacy.resetValue') }] }
        : { type: 'text', text: say(lang, 'privacy.passwordCompromised') },
    );
  }
  return { ...turn, replies: [...lead, ...turn.replies, ...tail], state: { ...turn.state, secretWarned: true } };
}
