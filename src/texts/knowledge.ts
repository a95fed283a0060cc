/** What the knowledge base adds around an article it shows (src/knowledge/knowledge-base.ts). */
import type { TextTable } from './define.ts';
import table from './knowledge.json' with { type: 'json' };

export const knowledge = table satisfies TextTable;
