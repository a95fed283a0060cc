/**
 * The ticket modal of `/guichet` and the Home tab's button: the view for views.open, and the check of its untrusted `view_submission`
 * (each problem goes back under its block, in the user's language, which travels in the view's private_metadata).
 */
import type { types } from '@slack/bolt';
import { z } from 'zod';
import type { Lang, Localized } from '../../core/lang.ts';
import { FORM_DESCRIPTION_MAX, FORM_TITLE_MAX, checkTicketForm, type FormField } from '../../core/ticket-form.ts';
import { LIMITS, cutPlain } from './mrkdwn.ts';
import { say, type TextKey } from '../../texts/index.ts';

export const TICKET_MODAL = 'guichet-ticket';
/** The action_id of every input in the modal (blocks are told apart by block_id). */
const INPUT = 'value';

/** A service as the modal lists it. */
export interface SlackService {
  id: string;
  name: Localized;
}

type ModalView = types.ModalView;
type Block = types.KnownBlock;
type InputElement = types.InputBlock['element'];
type WithoutActionId<T> = T extends unknown ? Omit<T, 'action_id'> : never;

const plain = (text: string, max: number = LIMITS.option) => ({ type: 'plain_text' as const, text: cutPlain(text, max), emoji: true });

/** An input block whose label is the catalogue's `channels.<block>`; every input's action_id is INPUT. */
function input(lang: Lang, block: 'category' | 'impact' | 'urgency' | 'title' | 'description', element: WithoutActionId<InputElement>): Block {
  return { type: 'input', block_id: block, label: plain(say(lang, `channels.${block}`), 2_000), element: { ...element, action_id: INPUT } as InputElement };
}

const levelOptions = (lang: Lang, block: 'impact' | 'urgency') => ([1, 2, 3] as const).map((n) => ({ text: plain(say(lang, `channels.${block}${n}` as TextKey)), value: String(n) }));

/** The modal for views.open; `services` become the category's options (Slack allows 100). */
export function ticketModal(lang: Lang, services: readonly SlackService[]): ModalView {
  const placeholder = (key: TextKey) => plain(say(lang, key), 150);
  const blocks: Block[] = [
    { type: 'section', text: { type: 'mrkdwn', text: say(lang, 'channels.modalIntro') } },
    input(lang, 'category', { type: 'static_select', placeholder: placeholder('channels.categoryPlaceholder'), options: services.slice(0, 100).map((s) => ({ text: plain(s.name[lang]), value: s.id })) }),
    input(lang, 'impact', { type: 'radio_buttons', options: levelOptions(lang, 'impact') }),
    input(lang, 'urgency', { type: 'radio_buttons', options: levelOptions(lang, 'urgency') }),
    input(lang, 'title', { type: 'plain_text_input', max_length: FORM_TITLE_MAX, placeholder: placeholder('channels.titlePlaceholder') }),
    input(lang, 'description', { type: 'plain_text_input', multiline: true, max_length: FORM_DESCRIPTION_MAX, placeholder: placeholder('channels.descriptionPlaceholder') }),
  ];
  return {
    type: 'modal',
    callback_id: TICKET_MODAL,
    private_metadata: JSON.stringify({ lang }),
    title: plain(say(lang, 'channels.modalTitle'), 24),
    submit: plain(say(lang, 'channels.modalSubmit'), 24),
    close: plain(say(lang, 'channels.modalClose'), 24),
    blocks,
  };
}

/** What the modal shows once the ticket exists (response_action "update"). */
export function createdModal(lang: Lang, number: number): ModalView {
  const blocks: Block[] = [{ type: 'section', text: { type: 'mrkdwn', text: say(lang, 'channels.created', { number }) } }];
  return { type: 'modal', callback_id: `${TICKET_MODAL}-done`, title: plain(say(lang, 'channels.createdTitle'), 24), close: plain('OK', 24), blocks };
}

/** The modal's language, from its private_metadata (French unless it says English). */
export function modalLang(privateMetadata: unknown): Lang {
  try {
    const parsed = z.object({ lang: z.enum(['fr', 'en']) }).safeParse(JSON.parse(String(privateMetadata ?? '')));
    return parsed.success ? parsed.data.lang : 'fr';
  } catch {
    return 'fr';
  }
}

/** The modal's block for each field of the core's form. */
const BLOCKS = { service: 'category', impact: 'impact', urgency: 'urgency', title: 'title', description: 'description' } as const satisfies Record<FormField, string>;

const stateSchema = z.object({ values: z.record(z.record(z.unknown())) });
/** One input's state: a select's or radio's `selected_option`, or a text input's `value`. */
const inputSchema = z.object({ selected_option: z.object({ value: z.string().max(100) }).nullish(), value: z.string().max(20_000).nullish() }).passthrough();

/**
 * The submitted `view.state` → the form, or one message per block in the user's language.
 * `serviceIds` are the services the modal offered (a value outside them is refused).
 */
export function checkSubmission(state: unknown, lang: Lang, serviceIds: ReadonlySet<string>) {
  const values = stateSchema.safeParse(state);
  const read = (block: string): string => {
    const input = inputSchema.safeParse(values.success ? values.data.values[block]?.[INPUT] : undefined);
    return input.success ? (input.data.selected_option?.value ?? (input.data.value ?? '').trim()) : '';
  };
  const fields = Object.keys(BLOCKS) as FormField[];
  const checked = checkTicketForm(Object.fromEntries(fields.map((f) => [f, read(BLOCKS[f])])), serviceIds, lang);
  if (!checked.ok) return { ok: false as const, errors: Object.fromEntries(Object.entries(checked.errors).map(([f, error]) => [BLOCKS[f as FormField], error])) };
  const { service: serviceId, ...rest } = checked.form;
  return { ok: true as const, form: { serviceId, ...rest } };
}
