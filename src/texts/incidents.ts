/**
 * The incidents texts of the catalogue (see index.ts): major incidents broadcast to the people
 * affected, the suggestion to declare one, the agents' chat commands and the incident card's labels.
 */
import type { TextTable } from './define.ts';
import table from './incidents.json' with { type: 'json' };

export const incidents = table satisfies TextTable;
