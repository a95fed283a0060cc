/** Texts of the connectors to other service desks (src/connectors/): GLPI. */
import type { TextTable } from './define.ts';
import table from './connectors.json' with { type: 'json' };

export const connectors = table satisfies TextTable;
