/** The channels texts of the catalogue (see index.ts). */
import type { TextTable } from './define.ts';

export const channels = {} satisfies TextTable;
