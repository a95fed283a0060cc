/**
 * Global commands recognised at any point of a conversation, in both
 * languages: help, language switch, greetings and thanks. Matching is on the
 * whole (folded) message, so "help me with the VPN" is not a help command but
 * a problem description.
 */
import type { Lang } from './lang.ts';

export type GlobalCommand =
  | { kind: 'help' }
  | { kind: 'switch-language'; lang: Lang }
  | { kind: 'greeting' }
  | { kind: 'thanks' };

/** Lower case, no accents, apostrophes unified, punctuation and extra spaces removed. */
export function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[’`]/g, "'")
    .replace(/[^\p{L}\p{N}'/#?]+/gu, ' ')
    .trim();
}

const HELP = /^(?:\/?help|\/?aide|\?|menu|que sais[- ]tu faire|que peux[- ]tu faire|what can you do|comment ca marche|how does (?:this|it) work)(?: (?:me|moi|svp|stp|please))?$/;
const TO_EN = /^(?:(?:\/?lang(?:uage|ue)?) en|english|in english|speak english|english please|en anglais|anglais|parle anglais|parlez anglais)$/;
const TO_FR = /^(?:(?:\/?lang(?:uage|ue)?) fr|francais|en francais|in french|french|speak french|french please|parle francais|parlez francais)$/;
const GREETING = /^(?:hello|hi|hey|hiya|good (?:morning|afternoon|evening)|bonjour|bonsoir|salut|coucou|allo|bjr|slt)(?: (?:there|guichet|everyone|a tous|tout le monde))?$/;
const THANKS = /^(?:merci(?: beaucoup| bien)?|thanks?(?: a lot| you(?: very much)?)?|thank you(?: very much)?|thx|ty|parfait merci|super merci|great thanks?)$/;

export function recognizeCommand(text: string): GlobalCommand | undefined {
  // A trailing question mark does not change a command ("que sais-tu faire ?"); a lone "?" is one.
  const folded = fold(text).replace(/(?<=[^\s?])\s*\?+$/, '');
  if (HELP.test(folded)) return { kind: 'help' };
  if (TO_EN.test(folded)) return { kind: 'switch-language', lang: 'en' };
  if (TO_FR.test(folded)) return { kind: 'switch-language', lang: 'fr' };
  if (GREETING.test(folded)) return { kind: 'greeting' };
  if (THANKS.test(folded)) return { kind: 'thanks' };
  return undefined;
}
