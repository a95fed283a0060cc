/** The conversation texts of the catalogue (see index.ts): what the turn router says by itself. */
import type { TextTable } from './define.ts';
import table from './conversation.json' with { type: 'json' };

export const conversation = table satisfies TextTable;
