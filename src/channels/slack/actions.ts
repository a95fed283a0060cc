/**
 * The core's card actions ({verb, data}) as Slack buttons and back: `action_id` is `act:<n>:<verb>` (n keeps ids unique when two buttons
 * share a verb), `value` the JSON of `data`. What comes back is untrusted: the verb must look like a verb, the value must be a small JSON
 * object of short strings or finite numbers, else the click is ignored. Whether the clicker may do it is the core's business.
 */
import { z } from 'zod';
import type { CardAction } from '../../core/tickets.ts';
import { describeIssue } from '../../core/zod-issue.ts';

/** A verb: lowercase words joined by dots or dashes ("ticket.take", "ticket.add-faq"). */
const VERB = /^[a-z][a-z0-9-]{0,49}(?:\.[a-z0-9-]{1,50}){0,3}$/;
export const CARD_ACTION_ID = /^act:(\d{1,2}):(.{1,100})$/;

/** Slack's limit for a button value. */
export const MAX_VALUE = 2_000;

const dataSchema = z.record(z.string().max(100), z.union([z.string().max(500), z.number().finite()]));
const smallData = dataSchema.refine((data) => Object.keys(data).length <= 20, 'has more than 20 fields');

export function cardActionId(index: number, verb: string): string {
  return `act:${index}:${verb}`;
}

/** The button value of an action's data (JSON), or undefined when it would exceed Slack's limit. */
export function cardActionValue(action: Pick<CardAction, 'data'>): string | undefined {
  const value = JSON.stringify(action.data);
  return value.length <= MAX_VALUE ? value : undefined;
}

export type ParsedAction = { ok: true; verb: string; data: Record<string, string | number> } | { ok: false; problem: string };

/** A clicked button's action_id and value → the core's action, validated. Undefined when it is not a card action. */
export function parseCardAction(actionId: string, value: string | undefined): ParsedAction | undefined {
  const match = CARD_ACTION_ID.exec(actionId);
  if (!match) return undefined;
  const verb = match[2]!;
  if (!VERB.test(verb)) return { ok: false, problem: 'the verb is not a verb' };
  let json: unknown = {};
  if (value !== undefined && value !== '') {
    if (value.length > MAX_VALUE) return { ok: false, problem: 'the value is too long' };
    try {
      json = JSON.parse(value);
    } catch {
      return { ok: false, problem: 'the value is not JSON' };
    }
  }
  const data = smallData.safeParse(json);
  if (!data.success) return { ok: false, problem: `the value: ${describeIssue(data.error)}` };
  return { ok: true, verb, data: data.data };
}
