/**
 * The tickets texts of the catalogue (see index.ts): what the desk tells requesters and agents,
 * timeline lines, the ticket chat's replies, status names, next steps and card labels.
 */
import type { TextTable } from './define.ts';
import table from './tickets.json' with { type: 'json' };

export const tickets = table satisfies TextTable;
