/**
 * Block Kit layouts of the ticket messages (blocks.ts), the Home tab (blocks.ts) and the ticket modal
 * (modal.ts): exact layouts for the samples, escaping of everything people wrote, the buttons'
 * {verb, data} round trip, and Slack's limits.
 */
import { describe, expect, it } from 'vitest';
import { parseCardAction } from '../../../src/channels/slack/actions.ts';
import { homeView, NEW_TICKET_ACTION } from '../../../src/channels/slack/blocks.ts';
import { checkSubmission, modalLang, ticketModal, TICKET_MODAL } from '../../../src/channels/slack/modal.ts';
import { LIMITS } from '../../../src/channels/slack/mrkdwn.ts';
import { renderForSlack, type SlackBlock } from '../../../src/channels/slack/outbound.ts';
import type { OutboundMessage } from '../../../src/core/messages.ts';
import type { TicketView } from '../../../src/core/tickets.ts';
import type { TurnContext } from '../../../src/core/turn-module.ts';
import { createFormIntakeModule } from '../../../src/ticketing/form-intake.ts';
import { sampleContact, sampleEscalation, sampleMessages, sampleTicket } from '../../helpers/samples.ts';

/** Every mrkdwn text of a block list (sections, fields, context elements). */
function mrkdwnTexts(blocks: readonly any[]): string[] {
  const out: string[] = [];
  for (const block of blocks) {
    if (block.text?.type === 'mrkdwn') out.push(block.text.text);
    for (const f of block.fields ?? []) out.push(f.text);
    for (const el of block.type === 'context' ? block.elements : []) if (el.type === 'mrkdwn') out.push(el.text);
  }
  return out;
}

/** No Slack control sequence from user text: no raw `<`/`>` and no bare `&`. */
const inert = (mrkdwn: string) => !/[<>]/.test(mrkdwn) && !/&(?!amp;|lt;|gt;)/.test(mrkdwn);

/** Slack's structural limits on a message's blocks. */
function expectWithinLimits(blocks: readonly any[], maxBlocks: number = LIMITS.blocks) {
  expect(blocks.length).toBeLessThanOrEqual(maxBlocks);
  for (const block of blocks) {
    if (block.type === 'header') expect(Array.from(block.text.text as string).length).toBeLessThanOrEqual(LIMITS.header);
    if (block.type === 'section' && block.text) expect(block.text.text.length).toBeLessThanOrEqual(LIMITS.section);
    if (block.fields) {
      expect(block.fields.length).toBeLessThanOrEqual(LIMITS.fields);
      for (const f of block.fields) expect(f.text.length).toBeLessThanOrEqual(LIMITS.field);
    }
    if (block.type === 'actions') {
      expect(block.elements.length).toBeLessThanOrEqual(LIMITS.buttons);
      const ids = block.elements.map((b: any) => b.action_id);
      expect(new Set(ids).size).toBe(ids.length);
      for (const b of block.elements) {
        expect(Array.from(b.text.text as string).length).toBeLessThanOrEqual(LIMITS.buttonLabel);
        if (b.value !== undefined) expect(b.value.length).toBeLessThanOrEqual(LIMITS.buttonValue);
      }
    }
  }
}

const actionsOf = (blocks: readonly SlackBlock[] | undefined) =>
  (blocks ?? []).filter((b: any) => b.type === 'actions').flatMap((b: any) => b.elements.map((el: any) => ({ label: el.text.text, style: el.style, ...parseCardAction(el.action_id, el.value) })));

describe('Slack ticket card', () => {
  it('lays out the sample ticket: header, status/priority/assignee/group fields, due times, next step', () => {
    const { ticket } = sampleMessages();
    const rendered = renderForSlack({ ...ticket, actions: [{ label: 'Add information', verb: 'ticket.add-info', data: { number: 1042 } }] });
    expect(rendered.blocks).toEqual([
      { type: 'header', text: { type: 'plain_text', text: 'Incident #1042 VPN disconnects every 10 minutes', emoji: true } },
      {
        type: 'section',
        fields: [
          { type: 'mrkdwn', text: '*Status*\nAssigned' },
          { type: 'mrkdwn', text: '*Priority*\nP3' },
          { type: 'mrkdwn', text: '*Assignee*\nBruno Petit' },
          { type: 'mrkdwn', text: '*Group*\nService desk' },
        ],
      },
      { type: 'section', text: { type: 'mrkdwn', text: 'Response due: Mon, 30 Nov 2026, 11:30\nResolution due: Tue, 1 Dec 2026, 17:00' } },
      { type: 'section', text: { type: 'mrkdwn', text: '*Next step*: Bruno Petit will get in touch with you.' } },
      {
        type: 'actions',
        block_id: 'guichet-ticket-1042',
        elements: [{ type: 'button', action_id: 'act:0:ticket.add-info', text: { type: 'plain_text', text: 'Add information', emoji: true }, value: '{"number":1042}' }],
      },
    ]);
    // The notification text is the plain-text form.
    expect(rendered.text).toMatch(/^Incident #1042 VPN disconnects every 10 minutes\nStatus: Assigned\n/);
  });

  it('speaks French with the core’s words, in the viewer’s time zone, and says when a due time is overdue', () => {
    const ticket = sampleTicket({ status: 'in-progress', responseDueAt: null, resolutionBreached: true, type: 'request' });
    const rendered = renderForSlack({ type: 'ticket', ticket, lang: 'fr', timeZone: 'America/New_York' });
    const texts = mrkdwnTexts(rendered.blocks!);
    expect((rendered.blocks![0] as any).text.text).toBe('Demande #1042 VPN disconnects every 10 minutes');
    expect(texts).toContain('*Statut*\nEn cours');
    expect(texts).toContain('Résolution prévue avant : mar. 1 déc. 2026, 11:00 (dépassé)');
    expect(texts).toContain('*Prochaine étape* : Bruno Petit travaille sur votre demande.');
  });

  it('escapes hostile mrkdwn in titles and names; the header is plain text and shows it as typed', () => {
    const hostile = '<!channel> <@U0BOSS> <https://evil.example|Reset> & co';
    const ticket = sampleTicket({ title: hostile, assignee: { id: 'u', displayName: '<!here>' }, group: { id: 'g', name: '<#C0SECRET>', level: 1 }, majorIncident: { number: 3, title: { fr: '<!everyone>', en: '<!everyone>' } } });
    const rendered = renderForSlack({ type: 'ticket', ticket, lang: 'en' });
    for (const text of mrkdwnTexts(rendered.blocks!)) expect(inert(text)).toBe(true);
    expect(inert(rendered.text)).toBe(true);
    expect(rendered.text).toContain('&lt;!channel&gt; &lt;@U0BOSS&gt; &lt;https://evil.example|Reset&gt; &amp; co');
    expect((rendered.blocks![0] as any).text).toEqual({ type: 'plain_text', text: `Incident #1042 ${hostile}`, emoji: true });
    expect(mrkdwnTexts(rendered.blocks!)).toContain('*Assignee*\n&lt;!here&gt;');
  });
});

describe('Slack escalation card', () => {
  it('shows the summary, SLA, the contact record with the VIP flag, assets and tickets, diagnosis, known errors and the card’s buttons', () => {
    const escalation = sampleEscalation({ contact: sampleContact({ user: { ...sampleContact().user, vip: true } }) });
    const rendered = renderForSlack({ type: 'escalation', escalation, lang: 'en' });
    const texts = mrkdwnTexts(rendered.blocks!);
    expect((rendered.blocks![0] as any).text.text).toBe('Incident #1042 VPN disconnects every 10 minutes');
    expect(texts).toEqual(
      expect.arrayContaining([
        '*Status*\nNew',
        '*Priority*\nP3',
        '*Assignee*\nnobody yet',
        '*Group*\nService desk (L1)',
        'Response due: Mon, 30 Nov 2026, 11:30\nResolution due: Tue, 1 Dec 2026, 17:00\nWaiting for an agent',
        '*Requester*\nAlice Martin :star: *VIP*\nalice.martin@example.org · Finance · Accountant',
        '*Assets*\n• LT-004211 — Dell Latitude 5440 (in-use)',
        '*Open tickets*\n• #1042 VPN disconnects every 10 minutes — Assigned — P3',
        '*Recent tickets*\n• #990 Printer jam — Closed — P4',
        '*Diagnosis*\n• *VPN client*: GlobalProtect 6.2\n• Article _KE-0007_ shown: not helpful',
        '*Suggested known errors*\n• KE-0007 — VPN drops after sleep',
      ]),
    );
    expect(actionsOf(rendered.blocks)).toEqual([
      { label: 'Take', style: 'primary', ok: true, verb: 'ticket.take', data: { number: 1042 } },
      { label: 'Resolve', style: undefined, ok: true, verb: 'ticket.resolve', data: { number: 1042 } },
    ]);
    expectWithinLimits(rendered.blocks!);
  });

  it('says "none" for an empty contact record and shows no VIP flag for others', () => {
    const escalation = sampleEscalation({ contact: sampleContact({ assets: [], openTickets: [], recentTickets: [] }), suggestedKnownErrors: [], actions: [] });
    const rendered = renderForSlack({ type: 'escalation', escalation, lang: 'fr' });
    const texts = mrkdwnTexts(rendered.blocks!);
    expect(texts).toContain('*Équipements*\n_aucun_');
    expect(texts.join('\n')).not.toMatch(/VIP/);
    expect(rendered.blocks!.some((b) => b.type === 'actions')).toBe(false);
    expect(texts.join('\n')).not.toMatch(/Erreurs connues/);
  });

  it('escapes what the requester wrote and keeps disguised links and mentions as text', () => {
    const escalation = sampleEscalation({
      ticket: sampleTicket({ title: '<!channel> urgent', status: 'new', assignee: null }),
      contact: sampleContact({
        user: { ...sampleContact().user, displayName: '<@U0CEO>', department: '<!here>', jobTitle: '&amp;' },
        assets: [{ tag: '<x>', kind: 'laptop', name: '<https://evil|Dell>', status: 'in-use' }],
        recentTickets: [{ number: 1, title: '<!subteam^S1>', status: 'closed', priority: 4 }],
      }),
      // The handoff escapes user text inside the Markdown with backslashes.
      diagnosisMarkdown: '- **Problem**: \\[Reset\\]\\(https://evil.example\\) \\<!channel\\>',
      suggestedKnownErrors: [{ id: 'KE-1', title: '<@U0X> fix' }],
      files: [{ name: '<https://evil|invoice>.png <!channel>', url: 'https://acme.slack.com/files/U1/F1/x.png' }],
    });
    const rendered = renderForSlack({ type: 'escalation', escalation, lang: 'en' });
    const texts = mrkdwnTexts(rendered.blocks!);
    for (const text of texts) expect(inert(text)).toBe(true);
    expect(inert(rendered.text)).toBe(true);
    expect(texts).toContain('*Diagnosis*\n• *Problem*: [Reset](https://evil.example) &lt;!channel&gt;');
    expect(texts).toContain('*Requester*\n&lt;@U0CEO&gt;\nalice.martin@example.org · &lt;!here&gt; · &amp;amp;');
    expect(texts).toContain('*Attached files*\n📎 &lt;https://evil|invoice&gt;.png &lt;!channel&gt; — https://acme.slack.com/files/U1/F1/x.png');
  });

  it('keeps a huge diagnosis and many buttons within Slack’s limits', () => {
    const actions = Array.from({ length: 30 }, (_, i) => ({ label: `Action ${'x'.repeat(100)} ${i}`, verb: 'ticket.note', data: { number: 1, text: `n${i}` } }));
    const tooBig = { label: 'Too big', verb: 'ticket.note', data: Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`f${i}`, 'y'.repeat(200)])) };
    const escalation = sampleEscalation({
      ticket: sampleTicket({ title: 'T'.repeat(400) }),
      diagnosisMarkdown: Array.from({ length: 2_000 }, (_, i) => `- step ${i} <&>`).join('\n'),
      actions: [tooBig, ...actions],
      contact: sampleContact({ assets: Array.from({ length: 40 }, (_, i) => ({ tag: `A${i}`, kind: 'k', name: 'n'.repeat(300), status: 's' })) }),
    });
    const blocks = renderForSlack({ type: 'escalation', escalation, lang: 'en' }).blocks!;
    expectWithinLimits(blocks);
    const diagnosis = mrkdwnTexts(blocks).filter((t) => t.startsWith('*Diagnosis*') || t.startsWith('• step'));
    expect(diagnosis.length).toBeGreaterThan(1);
    expect(diagnosis.length).toBeLessThanOrEqual(3);
    const buttons = actionsOf(blocks);
    // The too-big action is left out (its value would exceed 2 000 characters); the rest up to 25 buttons.
    expect(buttons.map((b) => b.label)).not.toContain('Too big');
    expect(buttons.length).toBe(LIMITS.buttons - 1);
  });
});

describe('Slack survey, incident and ticket list', () => {
  it('renders the survey as five buttons 1–5 carrying ticket.rate {number, score}', () => {
    const { survey } = sampleMessages();
    const rendered = renderForSlack({ ...survey, question: 'Satisfied? <!channel>' });
    expect(rendered.blocks![0]).toEqual({ type: 'section', text: { type: 'mrkdwn', text: 'Satisfied? &lt;!channel&gt;' } });
    expect(actionsOf(rendered.blocks)).toEqual([1, 2, 3, 4, 5].map((score) => expect.objectContaining({ ok: true, verb: 'ticket.rate', data: { number: 1042, score } })));
    expect(actionsOf(rendered.blocks).map((b) => b.label)).toEqual(['1 — Very dissatisfied', '2', '3', '4', '5 — Very satisfied']);
    const fr = renderForSlack({ ...survey, lang: 'fr' });
    expect(actionsOf(fr.blocks).map((b) => b.label)).toEqual(['1 — Très insatisfait', '2', '3', '4', '5 — Très satisfait']);
  });

  it('renders a major incident with its latest update, escaped', () => {
    const { incident } = sampleMessages();
    const rendered = renderForSlack({
      ...incident,
      incident: { ...incident.incident, updates: [{ text: { fr: 'Cause : <!channel> & DNS', en: 'x' }, at: '2026-11-30T08:15:00.000Z' }] },
    });
    expect(rendered.blocks).toEqual([
      { type: 'header', text: { type: 'plain_text', text: 'Incident majeur #7 — Messagerie indisponible', emoji: true } },
      { type: 'section', text: { type: 'mrkdwn', text: 'depuis lun. 30 nov. 2026, 08:45\nCause : &lt;!channel&gt; &amp; DNS' } },
    ]);
  });

  it('lists tickets one section each, and counts those that do not fit in 50 blocks', () => {
    const tickets = Array.from({ length: 60 }, (_, i) => sampleTicket({ number: 2000 + i, title: `<b>${i}</b>` }));
    const rendered = renderForSlack({ type: 'tickets', title: 'Your tickets', tickets, lang: 'en' });
    expectWithinLimits(rendered.blocks!);
    expect(rendered.blocks).toHaveLength(LIMITS.blocks);
    expect(mrkdwnTexts(rendered.blocks!)[0]).toBe('*#2000 &lt;b&gt;0&lt;/b&gt;*\nAssigned · P3 · Response due: Mon, 30 Nov 2026, 11:30 · Resolution due: Tue, 1 Dec 2026, 17:00');
    expect(rendered.blocks!.at(-1)).toEqual({ type: 'context', elements: [{ type: 'mrkdwn', text: '… and 12 more.' }] });
    expect(renderForSlack({ type: 'tickets', title: 'Vos tickets', tickets: [], lang: 'fr' }).blocks).toEqual([
      { type: 'header', text: { type: 'plain_text', text: 'Vos tickets', emoji: true } },
      { type: 'section', text: { type: 'mrkdwn', text: 'Aucun ticket.' } },
    ]);
  });

  it('never sends an empty text, which Slack refuses', () => {
    const empty = [
      renderForSlack({ type: 'tickets', title: '', tickets: [], lang: 'en' }),
      renderForSlack({ type: 'survey', ticketNumber: 1, question: '', lang: 'en' }),
    ];
    for (const rendered of empty) {
      for (const block of rendered.blocks as any[]) if (block.text) expect(block.text.text.length).toBeGreaterThan(0);
    }
  });

  it('keeps every sample message within Slack’s limits', () => {
    for (const message of Object.values(sampleMessages()) as OutboundMessage[]) {
      const rendered = renderForSlack(message);
      expect(rendered.text.length).toBeGreaterThan(0);
      if (rendered.blocks) expectWithinLimits(rendered.blocks);
    }
  });
});

/** The Home tab as a user sees it: the core's answer to `home.open` (form-intake, over a fake desk) rendered. */
async function homeOf(lang: 'fr' | 'en', tickets: TicketView[], queue?: TicketView[]) {
  const intake = createFormIntakeModule({
    desk: { create: async () => Promise.reject(new Error('not in this test')), listForRequester: async () => tickets, queueFor: async () => queue ?? [] },
    services: [],
  });
  const user = { id: 'u1', displayName: 'Alice', role: queue ? ('agent' as const) : ('employee' as const), locale: lang };
  const ctx = { user, lang, text: '', action: { verb: 'home.open', data: {} }, takeFiles: () => [], keepFiles: () => {}, state: {}, conversationId: 'c1', conversationKind: 'personal' as const, channel: 'slack' as const, origin: 'slack:Ev1', now: new Date() };
  const reply = await intake.handle(ctx as unknown as TurnContext);
  return homeView({ lang, replies: reply!.replies, canCreate: true });
}

describe('Slack Home tab', () => {
  it('shows an employee their open tickets, in their language, with a button that opens the ticket modal', async () => {
    const view = await homeOf('fr', [sampleTicket()]);
    expect(view.type).toBe('home');
    const texts = mrkdwnTexts(view.blocks);
    expect(texts.some((t) => t.startsWith('*#1042 VPN disconnects every 10 minutes*\nAssigné · P3 · Prise en charge avant : lun. 30 nov. 2026, 11:30'))).toBe(true);
    const headers = view.blocks.filter((b: any) => b.type === 'header').map((b: any) => b.text.text);
    expect(headers).toEqual(['Guichet — support informatique', 'Mes tickets en cours']);
    expect(view.blocks.find((b: any) => b.type === 'actions')).toMatchObject({ elements: [{ action_id: NEW_TICKET_ACTION, text: { text: 'Créer un ticket' } }] });
  });

  it('adds an agent’s queue, and says when lists are empty', async () => {
    const view = await homeOf('en', [], [sampleTicket({ number: 7, title: 'Printer' })]);
    const headers = view.blocks.filter((b: any) => b.type === 'header').map((b: any) => b.text.text);
    expect(headers).toEqual(['Guichet — IT service desk', 'My open tickets', 'My ticket queue (1)']);
    expect(mrkdwnTexts(view.blocks)).toContain('You have no open tickets.');
    expect(mrkdwnTexts(view.blocks).some((t) => t.startsWith('*#7 Printer*'))).toBe(true);
    expect((await homeOf('en', [], [])).blocks.at(-1)).toEqual({ type: 'context', elements: [{ type: 'mrkdwn', text: 'No tickets in your groups.' }] });
  });

  it('shows only the introduction while tickets are not available', () => {
    const view = homeView({ lang: 'en', replies: [], canCreate: false });
    expect(view.blocks).toEqual([
      { type: 'header', text: { type: 'plain_text', text: 'Guichet — IT service desk', emoji: true } },
      { type: 'section', text: { type: 'mrkdwn', text: 'Write to me in the *Messages* tab, or type `/guichet` followed by your problem.' } },
    ]);
  });

  it('stays within 100 blocks with long lists', async () => {
    const many = Array.from({ length: 80 }, (_, i) => sampleTicket({ number: i + 1 }));
    const view = await homeOf('en', many, many);
    expectWithinLimits(view.blocks, LIMITS.viewBlocks);
    expect(mrkdwnTexts(view.blocks).filter((t) => /and \d+ more/.test(t))).toHaveLength(2);
  });
});

describe('Slack ticket modal', () => {
  const services = [
    { id: 'vpn', name: { fr: 'Accès à distance (VPN)', en: 'Remote access (VPN)' } },
    { id: 'printing', name: { fr: 'Impression', en: 'Printing' } },
  ];
  const ids = new Set(services.map((s) => s.id));
  const state = (values: { category?: string | null; impact?: string | null; urgency?: string | null; title?: string | null; description?: string | null }) => ({
    values: {
      category: { value: { type: 'static_select', selected_option: values.category === undefined || values.category === null ? null : { value: values.category } } },
      impact: { value: { type: 'radio_buttons', selected_option: values.impact ? { value: values.impact } : null } },
      urgency: { value: { type: 'radio_buttons', selected_option: values.urgency ? { value: values.urgency } : null } },
      title: { value: { type: 'plain_text_input', value: values.title ?? null } },
      description: { value: { type: 'plain_text_input', value: values.description ?? null } },
    },
  });

  it('offers the services as categories, impact, urgency, title and description, in the user’s language', () => {
    const modal = ticketModal('en', services);
    expect(modal).toMatchObject({ type: 'modal', callback_id: TICKET_MODAL, title: { text: 'New ticket' }, submit: { text: 'Create' } });
    expect(modalLang(modal.private_metadata)).toBe('en');
    const inputs = modal.blocks.filter((b: any) => b.type === 'input') as any[];
    expect(inputs.map((b) => [b.block_id, b.element.type, b.label.text])).toEqual([
      ['category', 'static_select', 'Category'],
      ['impact', 'radio_buttons', 'Impact'],
      ['urgency', 'radio_buttons', 'Urgency'],
      ['title', 'plain_text_input', 'Title'],
      ['description', 'plain_text_input', 'Description'],
    ]);
    expect(inputs[0].element.options).toEqual([
      { text: { type: 'plain_text', text: 'Remote access (VPN)', emoji: true }, value: 'vpn' },
      { text: { type: 'plain_text', text: 'Printing', emoji: true }, value: 'printing' },
    ]);
    expect(inputs[1].element.options.map((o: any) => o.value)).toEqual(['1', '2', '3']);
    expect((ticketModal('fr', services).blocks[1] as any).label.text).toBe('Catégorie');
  });

  it('accepts a complete form', () => {
    expect(checkSubmission(state({ category: 'vpn', impact: '3', urgency: '1', title: '  VPN down ', description: 'It disconnects every ten minutes.' }), 'en', ids)).toEqual({
      ok: true,
      form: { serviceId: 'vpn', impact: 3, urgency: 1, title: 'VPN down', description: 'It disconnects every ten minutes.' },
    });
  });

  it('answers each problem under its block, in the user’s language', () => {
    expect(checkSubmission(state({ category: 'payroll', title: 'ab', description: 'short' }), 'fr', ids)).toEqual({
      ok: false,
      errors: {
        category: 'Choisissez la catégorie du problème.',
        impact: 'Dites qui est touché.',
        urgency: 'Dites à quel point c’est urgent.',
        title: 'Le titre doit faire au moins 3 caractères.',
        description: 'Décrivez le problème en quelques mots au moins (10 caractères).',
      },
    });
    expect(checkSubmission(state({ category: 'vpn', impact: '0', urgency: '9', title: 'x'.repeat(151), description: 'y'.repeat(3_001) }), 'en', ids)).toEqual({
      ok: false,
      errors: {
        impact: 'Say who is affected.',
        urgency: 'Say how urgent it is.',
        title: 'The title must be 150 characters at most.',
        description: 'The description must be 3,000 characters at most.',
      },
    });
  });

  it('treats a malformed state as an empty form, and a forged language as French', () => {
    const result = checkSubmission({ values: 'nope' }, 'en', ids);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(Object.keys(result.errors).sort()).toEqual(['category', 'description', 'impact', 'title', 'urgency']);
    expect(modalLang('{"lang":"de"}')).toBe('fr');
    expect(modalLang('not json')).toBe('fr');
  });
});
