/**
 * Words the platform channels show by themselves: Slack's ticket modal and Home tab, the extra
 * sections of Slack's escalation card, the pointer after a slash command, the labels of an
 * escalation card's relay state and of an article's kind (Slack and Teams), and the apology sent
 * when a turn fails before any reply. Ticket words shared by every channel (status, due times, next
 * step…) are the core's and are not repeated here.
 */
import type { TextTable } from './define.ts';
import table from './channels.json' with { type: 'json' };

export const channels = table satisfies TextTable;
