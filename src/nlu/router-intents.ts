/**
 * The router's intent recognition: a classifier trained at start-up on the
 * flows' `examples:` (intent = flow id) plus the global intents
 * (global-intents.ts), calibrated with out-of-scope utterances; and the
 * recogniser the core calls on each message, which also turns a recognised
 * ticket intent into the ticket module's own command ("my tickets",
 * "status #1042", "open a ticket: …") using the entities of the message.
 */
import type { Lang } from '../core/lang.ts';
import { ticketNumbers } from './entities.ts';
import { GLOBAL_EXAMPLES, GLOBAL_INTENTS, OUT_OF_SCOPE } from './global-intents.ts';
import { cachedIntentClassifier, trainIntentClassifier, type ClassifierCacheOptions, type IntentClassifier, type IntentExample, type IntentRecord, type TrainOptions } from './intents/index.ts';

/** What a flow gives the classifier (a loaded Flow fits). */
export interface IntentSource {
  id: string;
  examples: { fr: readonly string[]; en: readonly string[] };
}

/** Every training example: the flows' and the global intents', each with its language. */
export function routerExamples(flows: readonly IntentSource[]): IntentExample[] {
  const sources: IntentSource[] = [...flows, ...GLOBAL_INTENTS.map((id) => ({ id, examples: GLOBAL_EXAMPLES[id] }))];
  return sources.flatMap((s) => (['fr', 'en'] as const).flatMap((lang) => s.examples[lang].map((text) => ({ text, intent: s.id, lang }))));
}

export function outOfScopeExamples(): { text: string; lang: Lang }[] {
  return (['fr', 'en'] as const).flatMap((lang) => OUT_OF_SCOPE[lang].map((text) => ({ text, lang })));
}

export interface TrainedRouter {
  classifier: IntentClassifier;
  /** Wall-clock training time, calibration included (or loading time, from a cache), in milliseconds. */
  trainMs: number;
  examples: number;
}

const routerOptions = (options: TrainOptions): TrainOptions => ({ outOfScope: outOfScopeExamples(), defaultLang: 'fr', ...options });

/** Trains the router's classifier (deterministic for the same flows and options). */
export function trainRouter(flows: readonly IntentSource[], options: TrainOptions = {}): TrainedRouter {
  const examples = routerExamples(flows);
  const start = performance.now();
  const classifier = trainIntentClassifier(examples, routerOptions(options));
  return { classifier, trainMs: performance.now() - start, examples: examples.length };
}

/** trainRouter's classifier, loaded from `cache` when saved there for the same flows and options, else trained in a worker thread and saved. */
export async function cachedRouter(flows: readonly IntentSource[], cache: ClassifierCacheOptions, options: TrainOptions = {}): Promise<TrainedRouter> {
  const examples = routerExamples(flows);
  const start = performance.now();
  const classifier = await cachedIntentClassifier(examples, routerOptions(options), cache);
  return { classifier, trainMs: performance.now() - start, examples: examples.length };
}

export interface RecognizedIntent {
  name: string | null;
  confidence: number;
  rewrite?: string;
}

/** The core's IntentRecognizer over a trained classifier. */
export function createIntentRecognizer(classifier: IntentClassifier): { recognize(text: string, lang: Lang): RecognizedIntent } {
  return {
    recognize(text, lang) {
      const result = classifier.classify(text, lang);
      const rewrite = result.intent ? ticketCommand(result.intent, text, lang) : undefined;
      return { name: result.intent, confidence: result.confidence, ...(rewrite ? { rewrite } : {}) };
    },
  };
}

/** Words beyond which a request to open a ticket is taken as also describing the problem. */
const DESCRIBING_WORDS = 7;

/** The ticket module's command for a ticket intent, or undefined for other intents. */
export function ticketCommand(intent: string, text: string, lang: Lang): string | undefined {
  switch (intent) {
    case 'my-tickets':
      return lang === 'fr' ? 'mes tickets' : 'my tickets';
    case 'ticket-status': {
      const [number] = ticketNumbers(text);
      if (number === undefined) return lang === 'fr' ? 'mes tickets' : 'my tickets';
      return `${lang === 'fr' ? 'statut' : 'status'} #${number}`;
    }
    case 'open-ticket': {
      const command = lang === 'fr' ? 'ouvrir un ticket' : 'open a ticket';
      return text.trim().split(/\s+/).length >= DESCRIBING_WORDS ? `${command}${lang === 'fr' ? ' : ' : ': '}${text.trim()}` : command;
    }
    default:
      return undefined;
  }
}

/**
 * The router's own examples as an intent data set with a held-back test part:
 * in each intent and language (and in the out-of-scope list), every
 * `testEvery`-th example (the 5th, 10th… by default, about 20 %) is `test`,
 * the others `train`. Deterministic, so figures can be compared run to run.
 */
export function heldOutRecords(flows: readonly IntentSource[], testEvery = 5): IntentRecord[] {
  const split = (i: number): IntentRecord['split'] => ((i + 1) % testEvery === 0 ? 'test' : 'train');
  const sources: IntentSource[] = [...flows, ...GLOBAL_INTENTS.map((id) => ({ id, examples: GLOBAL_EXAMPLES[id] }))];
  const inScope = sources.flatMap((s) =>
    (['fr', 'en'] as const).flatMap((lang) => s.examples[lang].map((text, i) => ({ split: split(i), text, intent: s.id, oos: false, lang }))),
  );
  const outOfScope = (['fr', 'en'] as const).flatMap((lang) => OUT_OF_SCOPE[lang].map((text, i) => ({ split: split(i), text, intent: 'oos', oos: true, lang })));
  // `line`: the record's position in this generated data set (there is no file).
  return [...inScope, ...outOfScope].map((r, i) => ({ ...r, line: i + 1 }));
}
