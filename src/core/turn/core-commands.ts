/**
 * The global commands the core answers itself (help, language, greeting,
 * thanks) and the fallbacks of those a module did not take (cancel, restart,
 * agent with nothing in progress). Greetings and thanks are answered in the
 * language they were said in.
 */
import type { GlobalCommand } from '../commands.ts';
import type { Lang } from '../lang.ts';
import type { OutboundMessage } from '../messages.ts';
import type { UserRecord } from '../ports.ts';
import type { ConversationState } from '../state.ts';
import { say } from '../../texts/index.ts';

/** Commands the core answers by itself, whatever is in progress. */
export const ANSWERED_BY_CORE = new Set<GlobalCommand['kind']>(['help', 'switch-language', 'greeting', 'thanks']);

/** Global intents of the classifier that mean a core command. */
export const INTENT_COMMANDS: Record<string, GlobalCommand | undefined> = {
  help: { kind: 'help' },
  greeting: { kind: 'greeting' },
  thanks: { kind: 'thanks' },
  cancel: { kind: 'cancel' },
  agent: { kind: 'agent' },
};

export interface CommandOutput {
  replies: OutboundMessage[];
  state: ConversationState;
  lang: Lang;
  /** Set when the user explicitly chose a language in this turn. */
  chosenLang?: Lang;
}

export function runCommand(
  command: GlobalCommand,
  ctx: { user: UserRecord; who: { externalId: string; displayName?: string }; state: ConversationState; lang: Lang; text?: string; forced?: boolean },
): CommandOutput {
  const { user, state } = ctx;
  // Greetings and thanks are answered in the language they were said in ("bonjour" after "english" gets French).
  // A language the channel forces wins.
  const inKind = (command.kind === 'greeting' || command.kind === 'thanks') && !ctx.forced;
  const lang = inKind ? (saidIn(ctx.text ?? '') ?? ctx.lang) : ctx.lang;
  switch (command.kind) {
    case 'help':
      return {
        replies: [
          { type: 'markdown', markdown: say(lang, 'core.help') },
          languageChoices(lang),
        ],
        state,
        lang,
      };
    case 'switch-language': {
      const chosen = command.lang;
      return {
        replies: [{ type: 'text', text: say(chosen, 'core.switched') }],
        state: { ...state, lang: chosen, lastLang: chosen },
        lang: chosen,
        chosenLang: chosen,
      };
    }
    case 'greeting': {
      // A user who never gave a name is stored under their platform id (a web visitor's random id can look like a word).
      const named = ctx.who.displayName ?? (user.displayName === ctx.who.externalId ? '' : user.displayName);
      const name = firstName(named);
      const key = state.greeted ? 'core.greetingAgain' : 'core.greeting';
      return {
        replies: [{ type: 'text', text: say(lang, key, { name: name ? ` ${name}` : '' }) }],
        state: { ...state, greeted: true },
        lang,
      };
    }
    case 'thanks':
      return { replies: [{ type: 'text', text: say(lang, 'core.thanks') }], state, lang };
    // Reached only when no module had anything in progress to stop or a person to call.
    case 'cancel':
      return { replies: [{ type: 'text', text: say(lang, 'core.nothingToCancel') }], state, lang };
    case 'restart':
      return { replies: [{ type: 'text', text: say(lang, 'core.startOver') }], state, lang };
    case 'agent':
      return { replies: [{ type: 'text', text: say(lang, 'core.noAgentHere') }], state, lang };
  }
}

const FRENCH = /^(?:bonjour|bonsoir|salut|coucou|bjr|slt|merci)\b/i;
const ENGLISH = /^(?:hello|hi|hey|hiya|good (?:morning|afternoon|evening)|thanks?|thank you|thx|ty|cheers)\b/i;

/** The language of a greeting or a thanks, when its words tell. */
function saidIn(text: string): Lang | undefined {
  const t = text.trim();
  if (FRENCH.test(t)) return 'fr';
  if (ENGLISH.test(t)) return 'en';
  return undefined;
}

function languageChoices(lang: Lang): OutboundMessage {
  return {
    type: 'choices',
    text: say(lang, 'core.chooseLanguage'),
    choices: [
      { label: 'Français', value: 'français' },
      { label: 'English', value: 'english' },
    ],
  };
}

function firstName(displayName: string): string {
  const first = displayName.trim().split(/\s+/)[0] ?? '';
  // Platform ids or e-mail addresses are not names worth greeting.
  return /^[\p{L}][\p{L}'-]{0,40}$/u.test(first) ? first : '';
}

