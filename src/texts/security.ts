/** What the security rules say: refusals of the authorization table, the abuse limits' "try again later". */
import type { TextTable } from './define.ts';
import table from './security.json' with { type: 'json' };

export const security = table satisfies TextTable;
