/** The core texts of the catalogue (see index.ts): the few things the core says by itself. */
import type { TextTable } from './define.ts';
import table from './core.json' with { type: 'json' };

export const core = table satisfies TextTable;
