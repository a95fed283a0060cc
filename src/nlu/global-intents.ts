/**
 * The intents every conversation has besides the flows, with example
 * utterances in French and English, and out-of-scope utterances (chit-chat,
 * other departments' questions) used to calibrate the threshold; the data is
 * global-intents.json. They train
 * the router's classifier together with the flows' `examples:`; the exact
 * commands ("aide", "annuler", "mes tickets") are recognised before it, so
 * these examples are the paraphrases.
 */
import type { Localized } from '../core/lang.ts';
import examples from './global-intents.json' with { type: 'json' };

export const GLOBAL_INTENTS = ['greeting', 'thanks', 'help', 'agent', 'cancel', 'my-tickets', 'ticket-status', 'open-ticket'] as const;
export type GlobalIntent = (typeof GLOBAL_INTENTS)[number];

type Examples = { [L in keyof Localized]: string[] };

/** Training data (src/nlu/global-intents.json): paraphrases per global intent, and messages Guichet has no intent for. */
export const GLOBAL_EXAMPLES: Record<GlobalIntent, Examples> = examples.intents;

/** Messages Guichet has no intent for: they go to the knowledge search, never to a flow. */
export const OUT_OF_SCOPE: Examples = examples.outOfScope;
