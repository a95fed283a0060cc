/** What the knowledge base adds around an article it shows (src/knowledge/knowledge-base.ts). */
import type { TextTable } from './define.ts';

export const knowledge = {
  /** Before a known error's workaround, which comes first in the article shown. */
  workaroundLabel: { fr: 'Contournement :', en: 'Workaround:' },
} satisfies TextTable;
