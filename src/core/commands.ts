/**
 * Global commands recognised at any point of a conversation, in both
 * languages: help, language switch, greetings and thanks, cancel, restart, and
 * asking for a person. Matching is on the whole (folded) message, so "help me
 * with the VPN" is not a help command but a problem description.
 */
import type { Lang } from './lang.ts';

export type GlobalCommand =
  | { kind: 'help' }
  | { kind: 'switch-language'; lang: Lang }
  | { kind: 'greeting' }
  | { kind: 'thanks' }
  /** Stop what is in progress (a guided flow). */
  | { kind: 'cancel' }
  /** Start what is in progress again from its beginning. */
  | { kind: 'restart' }
  /** Talk to a person: a ticket handed over to the service desk. */
  | { kind: 'agent' };

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
const TO_EN = /^(?:(?:\/?lang(?:uage|ue)?) en|english|in english|speak english|english please|en anglais|anglais|parle anglais|parlez anglais)(?: (?:please|svp|stp|s'il (?:te|vous) plait))?$/;
const TO_FR = /^(?:(?:\/?lang(?:uage|ue)?) fr|francais|en francais|in french|french|speak french|french please|parle francais|parlez francais)(?: (?:please|svp|stp|s'il (?:te|vous) plait))?$/;
const GREETING = /^(?:hello|hi|hey|hiya|good (?:morning|afternoon|evening)|bonjour|bonsoir|salut|coucou|allo|bjr|slt)(?: (?:there|guichet|everyone|a tous|tout le monde))?$/;
const THANKS = new RegExp(
  [
    '^(?:(?:ok|okay|super|top|genial|parfait|nickel|cool|great|perfect|awesome|ah|oh|bon)[ ,!.]+)?',
    '(?:merci(?: (?:beaucoup|bien|bcp|infiniment|mille fois))?|mille mercis|thanks?(?: (?:a lot|so much|a bunch))?|thank you(?: (?:very much|so much))?|thx|ty|many thanks|cheers|mrc|mci)',
    "(?:(?: pour (?:ton|votre|l') ?aide| pour tout| for (?:your|the) help| for everything| a toi| a vous))?",
    '(?:[ ,!.]+(?:bonne journee|have a (?:nice|good) day|a\\+|bye|au revoir|c\'est parfait|perfect|super|top))?[ !.]*$',
  ].join(''),
);

const POLITE = "(?: (?:svp|stp|s'il (?:te|vous) plait|please|merci|thanks|now|maintenant))?";
const CANCEL = new RegExp(
  `^(?:/?cancel|/?annuler|annule|annulez|stop|arrete|arrete tout|arreter|laisse tomber|laissez tomber|forget it|never ?mind|abandonner|abandon|quit|quitter|exit|on arrete|cancel (?:this|that|it)|annuler (?:ca|tout))${POLITE}$`,
);
const RESTART = new RegExp(
  `^(?:/?restart|/?recommencer|recommence|recommencons|on recommence|start over|start again|let's start over|reset|reprendre (?:a zero|du debut|depuis le debut)|repartir (?:a zero|du debut)|from the (?:start|beginning)|depuis le debut)${POLITE}$`,
);
const PERSON = "(?:quelqu'un|quelqu un|un humain|une personne|une vraie personne|un technicien|un agent|un conseiller|le support|someone|somebody|a human|a person|a real person|an agent|a technician|an operator|the service desk|support)";
const AGENT = new RegExp(
  [
    `^(?:/?agent|humain|human|technicien|technician|operator|operateur|real person|vraie personne|${PERSON})${POLITE}$`,
    `^(?:(?:je (?:veux|voudrais|souhaite|souhaiterais)|j'aimerais|puis[- ]je|est[- ]ce que je peux|i (?:want|would like|need)|i'd like|can i|could i|let me) (?:to )?)?(?:parler|discuter|talk|speak|chat) (?:a|avec|to|with) ${PERSON}${POLITE}$`,
    `^(?:passe[sz]?[- ]moi|transfer me to|put me through to|get me) ${PERSON}${POLITE}$`,
  ].join('|'),
);

export function recognizeCommand(text: string): GlobalCommand | undefined {
  // A trailing question mark does not change a command ("que sais-tu faire ?"); a lone "?" is one.
  const folded = fold(text).replace(/(?<=[^\s?])\s*\?+$/, '');
  if (HELP.test(folded)) return { kind: 'help' };
  if (TO_EN.test(folded)) return { kind: 'switch-language', lang: 'en' };
  if (TO_FR.test(folded)) return { kind: 'switch-language', lang: 'fr' };
  if (GREETING.test(folded)) return { kind: 'greeting' };
  if (THANKS.test(folded)) return { kind: 'thanks' };
  if (CANCEL.test(folded)) return { kind: 'cancel' };
  if (RESTART.test(folded)) return { kind: 'restart' };
  if (AGENT.test(folded)) return { kind: 'agent' };
  return undefined;
}

/**
 * Reads a reply to "did this fix it?" / "is it fixed?". A negative marker
 * anywhere wins over a positive opening ("yes… but it still crashes" is not
 * fixed); a plain thanks is not an answer either way.
 */
export function recognizeConfirmation(text: string): 'yes' | 'no' | undefined {
  const folded = fold(text);
  if (!folded) return undefined;
  if (NEGATIVE.test(folded)) return 'no';
  if (POSITIVE.test(folded)) return 'yes';
  return undefined;
}

const NEGATIVE = new RegExp(
  [
    "^(?:no|non|nope|nan|pas vraiment|pas du tout|absolument pas|not really|not at all)\\b",
    "\\b(?:not (?:fixed|helpful|working|solved|resolved)|still (?:broken|not|doesn't|does not|can't|cannot|crash\\w*|fail\\w*|the same|an issue|a problem)|didn't (?:help|work|fix)|did not (?:help|work|fix)|doesn't work|does not work|won't work|no luck|same (?:problem|issue|error))\\b",
    "\\b(?:toujours pas|toujours (?:le meme|la meme|bloque|en panne|plante|pareil)|(?:ca|cela|c') ?(?:ne )?(?:marche|fonctionne) (?:toujours )?pas|ne (?:marche|fonctionne) (?:toujours )?pas|pas (?:resolu|regle|repare|utile|mieux)|n'a pas (?:aide|marche|fonctionne|resolu)|rien n'a change|encore (?:le meme|la meme|bloque|en panne))\\b",
    // "yes, but …" followed by a sign of trouble.
    "\\b(?:but|mais|sauf que|except)\\b.*\\b(?:still|again|toujours|encore|crash\\w*|plante\\w*|bloque\\w*|erreur|error|fail\\w*|freez\\w*|fige\\w*|broken|marche pas|works? not|doesn't|does not|won't)\\b",
  ].join('|'),
);

const POSITIVE =
  /^(?:(?:merci|thanks|thank you|thx)(?: beaucoup)? )?(?:yes|yep|yeah|yup|oui|ouais|ouaip|c bon|cbon|ok|okay|it worked|that worked|d'accord|daccord|parfait|perfect|great|super|genial|top|nickel|c'est bon|cest bon|ca marche|ca fonctionne|it works|works|working|fixed|solved|resolved|resolu|regle|that fixed it|it's fixed|its fixed|all good|tout est bon|c'est regle|c'est resolu|probleme resolu|problem solved)\b/;
