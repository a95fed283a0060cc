/**
 * Filling `{slot}` placeholders. A slot is shown the way the user would say
 * it: a choice by its label and a yes-no answer as Oui/Yes in the reader's
 * language, "I don't know" as "not given"; other values as typed.
 */
import type { Lang, Localized } from '../core/lang.ts';
import { NONE } from './answers.ts';
import { PLACEHOLDER, type Flow } from './schema.ts';
import { say } from '../texts/index.ts';
import type { SlotValue } from './types.ts';

/** Shown for a slot with no value (only after a flow was edited under a running conversation). */
const MISSING = '…';

export function displayValue(flow: Pick<Flow, 'slots'>, slot: string, value: SlotValue | undefined, lang: Lang): string {
  if (value === undefined) return MISSING;
  const def = flow.slots[slot];
  if (value === NONE && def && 'optional' in def && def.optional) return say(lang, 'flows.notGiven');
  if (def?.type === 'choice') return def.options[String(value)]?.[lang] ?? String(value);
  if (def?.type === 'yes-no') return say(lang, value === 'yes' ? 'flows.yes' : 'flows.no');
  return String(value);
}

export function render(flow: Pick<Flow, 'slots'>, slots: Record<string, SlotValue>, text: Localized, lang: Lang): string {
  return text[lang].replace(PLACEHOLDER, (_, name: string) => displayValue(flow, name, slots[name], lang));
}

/** A search query: like `render`, but a slot with no value or "I don't know" adds no words. */
export function renderQuery(flow: Pick<Flow, 'slots'>, slots: Record<string, SlotValue>, text: Localized, lang: Lang): string {
  return text[lang]
    .replace(PLACEHOLDER, (_, name: string) => (slots[name] === undefined || slots[name] === NONE ? '' : displayValue(flow, name, slots[name], lang)))
    .replace(/\s+/g, ' ')
    .trim();
}

/** A text filled in every language, for the diagnosis. */
export function renderBoth(flow: Pick<Flow, 'slots'>, slots: Record<string, SlotValue>, text: Localized): Localized {
  return { fr: render(flow, slots, text, 'fr'), en: render(flow, slots, text, 'en') };
}

/** One value shown in every language. */
export function displayBoth(flow: Pick<Flow, 'slots'>, slot: string, value: SlotValue): Localized {
  return { fr: displayValue(flow, slot, value, 'fr'), en: displayValue(flow, slot, value, 'en') };
}
