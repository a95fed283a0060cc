/**
 * What the desks say: where a user stands in the queue and when a person will look at their
 * request, out of hours honestly; what the on-call person is paged with. Used through
 * `localizeEntry(desks.key, lang, vars)` until the table is registered in index.ts.
 */
import type { TextTable } from './define.ts';
import table from './desks.json' with { type: 'json' };

export const desks = table satisfies TextTable;
