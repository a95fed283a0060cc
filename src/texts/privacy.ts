/** What Guichet says about personal data: a secret masked in chat, the reset offered, the admin console's privacy page. */
import type { TextTable } from './define.ts';
import table from './privacy.json' with { type: 'json' };

export const privacy = table satisfies TextTable;
