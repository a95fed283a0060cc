/**
 * The ticket form a channel may show by itself (Slack's modal), and the actions that carry it to the
 * core: its fields, their limits and each field's problem in the user's words. The channel checks a
 * submission with it to show the problems under their fields; the core (src/ticketing/form-intake.ts)
 * checks it again, since the data is untrusted whatever the channel did.
 */
import { z } from 'zod';
import { say, type TextKey } from '../texts/index.ts';
import type { Lang } from './lang.ts';
import type { Level } from './tickets.ts';

/** The action of a channel opening its ticket form: answered with the form's introduction, in the user's language. */
export const OPEN_FORM_ACTION = 'ticket.open-form';
/** The action of a submitted ticket form, data {service, impact, urgency, title, description}. */
export const CREATE_FORM_ACTION = 'ticket.create-form';
/** The action of a surface asking for the user's tickets (Slack's Home tab). */
export const HOME_ACTION = 'home.open';

/** Longest title and description a form takes, in characters. */
export const FORM_TITLE_MAX = 150;
export const FORM_DESCRIPTION_MAX = 3_000;

const level = z.coerce.number().int().min(1).max(3).transform((n) => n as Level);

/** The form's schema; `serviceIds` are the services it may name (the catalogue's). */
export function ticketFormSchema(serviceIds: ReadonlySet<string>) {
  return z.object({
    service: z.string().refine((id) => serviceIds.has(id), 'is not a service of the catalogue'),
    impact: level,
    urgency: level,
    title: z.string().trim().min(3).max(FORM_TITLE_MAX),
    description: z.string().trim().min(10).max(FORM_DESCRIPTION_MAX),
  });
}

export type TicketForm = z.infer<ReturnType<typeof ticketFormSchema>>;
export type FormField = keyof TicketForm;

/** Each field's problem: `big` when too long, else `small` (wrong, missing or too short). */
const PROBLEMS: Record<FormField, { small: TextKey; big?: TextKey }> = {
  service: { small: 'tickets.formErrService' },
  impact: { small: 'tickets.formErrImpact' },
  urgency: { small: 'tickets.formErrUrgency' },
  title: { small: 'tickets.formErrTitleShort', big: 'tickets.formErrTitleLong' },
  description: { small: 'tickets.formErrDescription', big: 'tickets.formErrDescriptionLong' },
};

export type FormCheck = { ok: true; form: TicketForm } | { ok: false; errors: Partial<Record<FormField, string>> };

/** `data` → the form, or one message per field that does not hold, in `lang` (in the fields' order). */
export function checkTicketForm(data: unknown, serviceIds: ReadonlySet<string>, lang: Lang): FormCheck {
  const parsed = ticketFormSchema(serviceIds).safeParse(data);
  if (parsed.success) return { ok: true, form: parsed.data };
  const errors: Partial<Record<FormField, string>> = {};
  for (const issue of parsed.error.issues) {
    // A problem with the data as a whole (not an object) is told as the description's.
    const field = (issue.path[0] as FormField | undefined) ?? 'description';
    const problem = PROBLEMS[field] ?? PROBLEMS.description;
    errors[field] ??= say(lang, issue.code === 'too_big' && problem.big ? problem.big : problem.small);
  }
  return { ok: false, errors };
}
