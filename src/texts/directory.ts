/**
 * The directory actions' texts (see index.ts): the one-time code e-mail, and one sentence per outcome
 * of an action (src/directory/outcome-text.ts picks it).
 */
import type { TextTable } from './define.ts';
import table from './directory.json' with { type: 'json' };

export const directory = table satisfies TextTable;
