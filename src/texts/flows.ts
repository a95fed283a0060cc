/**
 * The flow engine's texts of the catalogue (see index.ts): buttons, re-asks, the "did this fix it?"
 * question, outage notices, closing lines and the headings of the diagnosis. A flow's own texts live
 * in its file and win where a node gives one (`text`, `question`).
 */
import type { TextTable } from './define.ts';
import table from './flows.json' with { type: 'json' };

export const flows = table satisfies TextTable;
