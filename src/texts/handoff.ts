/**
 * What human handoff says to requesters and agents, and the labels of its escalation cards
 * (see index.ts: `say(lang, 'handoff.queued', { number, availability })`).
 */
import type { TextTable } from './define.ts';
import table from './handoff.json' with { type: 'json' };

export const handoff = table satisfies TextTable;
