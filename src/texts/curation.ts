/** What admins' knowledge curation (`kb …` in a conversation, src/knowledge/curation.ts) says. */
import type { TextTable } from './define.ts';
import table from './curation.json' with { type: 'json' };

export const curation = table satisfies TextTable;
