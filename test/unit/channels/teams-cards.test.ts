/**
 * The Adaptive Cards of the ticket messages (cards.ts through renderForTeams): layout, buttons and
 * the verbs/data they send back, French and English words from ticket-texts, hostile people's text
 * kept out of Markdown, and the size limit.
 */
import { describe, expect, it } from 'vitest';
import { MAX_ACTIVITY_BYTES, activityBytes, renderForTeams } from '../../../src/channels/teams/outbound.ts';
import { toInbound } from '../../../src/channels/teams/inbound.ts';
import type { OutboundMessage } from '../../../src/core/messages.ts';
import { ticketLabel } from '../../../src/core/ticket-texts.ts';
import { sampleContact, sampleEscalation, sampleIncident, sampleMessages, sampleTicket } from '../../helpers/samples.ts';

const HOSTILE = '**x** <at>y</at> [a](javascript:alert(1)) <img src=x onerror=alert(1)>';

/** The Adaptive Card of a rendered message (fails when the activity carries none). */
function cardOf(message: OutboundMessage): any {
  const activity = renderForTeams(message);
  expect(activity.attachments).toHaveLength(1);
  expect(activity.attachments![0]!.contentType).toBe('application/vnd.microsoft.card.adaptive');
  return activity.attachments![0]!.content;
}

/** Every object in a card, depth first. */
function elements(node: unknown): Record<string, any>[] {
  if (Array.isArray(node)) return node.flatMap(elements);
  if (!node || typeof node !== 'object') return [];
  return [node as Record<string, any>, ...Object.values(node).flatMap(elements)];
}

const runs = (card: unknown): string[] => elements(card).filter((e) => e.type === 'TextRun').map((e) => e.text);
const factsOf = (card: unknown): [string, string][] => elements(card).filter((e) => e.type === 'FactSet').flatMap((e) => e.facts.map((f: any) => [f.title, f.value]));

describe('every outbound type renders for Teams', () => {
  it.each(Object.values(sampleMessages()).map((m) => [m.type, m] as const))('%s: one activity under the size limit', (_type, message) => {
    const activity = renderForTeams(message);
    expect(activity.type).toBe('message');
    expect(activityBytes(activity)).toBeLessThanOrEqual(MAX_ACTIVITY_BYTES);
    expect(Boolean(activity.text) || (activity.attachments?.length ?? 0) > 0).toBe(true);
  });

  it.each(['ticket', 'tickets', 'incident', 'escalation', 'survey'] as const)('%s is a native Adaptive Card 1.5 with a notification summary', (type) => {
    const message = sampleMessages()[type];
    const card = cardOf(message);
    expect(card).toMatchObject({ type: 'AdaptiveCard', version: '1.5', $schema: 'http://adaptivecards.io/schemas/adaptive-card.json' });
    expect(renderForTeams(message).summary).toEqual(expect.any(String));
  });
});

describe('ticket card', () => {
  it('shows the heading, the facts with due times and the next step', () => {
    expect(cardOf(sampleMessages().ticket)).toEqual({
      type: 'AdaptiveCard',
      $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
      version: '1.5',
      body: [
        { type: 'RichTextBlock', inlines: [{ type: 'TextRun', text: 'Incident #1042 — VPN disconnects every 10 minutes', weight: 'Bolder', size: 'Medium' }] },
        {
          type: 'FactSet',
          facts: [
            { title: 'Status', value: 'Assigned' },
            { title: 'Priority', value: 'P3' },
            { title: 'Assignee', value: 'Bruno Petit' },
            { title: 'Group', value: 'Service desk' },
            { title: 'Response due', value: 'Mon, 30 Nov 2026, 11:30' },
            { title: 'Resolution due', value: 'Tue, 1 Dec 2026, 17:00' },
          ],
        },
        { type: 'RichTextBlock', inlines: [{ type: 'TextRun', text: 'Next step: Bruno Petit will get in touch with you.', isSubtle: true }] },
      ],
    });
  });

  it('speaks French, in the viewer’s time zone, and marks a breached target', () => {
    const ticket = sampleTicket({ status: 'new', assignee: null, responseBreached: true });
    const card = cardOf({ type: 'ticket', ticket, lang: 'fr', timeZone: 'America/New_York' });
    expect(factsOf(card)).toEqual([
      ['Statut', 'Nouveau'],
      ['Priorité', 'P3'],
      ['Pris en charge par', 'personne pour l’instant'],
      ['Groupe', 'Service desk'],
      ['Prise en charge avant', 'lun. 30 nov. 2026, 05:30 (dépassé)'],
      ['Résolution prévue avant', 'mar. 1 déc. 2026, 11:00'],
    ]);
    expect(runs(card)).toContain('Prochaine étape : Un technicien va prendre votre demande en charge.');
  });

  it('turns its actions into Action.Submit buttons whose data comes back as the same action', () => {
    const card = cardOf({
      type: 'ticket',
      ticket: sampleTicket({ status: 'resolved' }),
      lang: 'en',
      actions: [
        { label: 'Yes, fixed', verb: 'ticket.confirm', data: { number: 1042, fixed: 'true' }, style: 'primary' },
        { label: 'Not fixed', verb: 'ticket.confirm', data: { number: 1042, fixed: 'false' }, style: 'danger' },
        { label: 'Sneaky', verb: 'ticket.view', data: { number: 1042, verb: 'ticket.delete' } },
      ],
    });
    expect(card.actions).toEqual([
      { type: 'Action.Submit', title: 'Yes, fixed', style: 'positive', data: { verb: 'ticket.confirm', number: 1042, fixed: 'true' } },
      { type: 'Action.Submit', title: 'Not fixed', style: 'destructive', data: { verb: 'ticket.confirm', number: 1042, fixed: 'false' } },
      { type: 'Action.Submit', title: 'Sneaky', data: { verb: 'ticket.view', number: 1042 } },
    ]);
    // What Teams posts back for the first button reaches the core as that action.
    const submitted = toInbound({
      type: 'message',
      id: 'act-1',
      from: { id: '29:u', aadObjectId: 'aad-u', name: 'Alice' },
      recipient: { id: '28:bot', name: 'Guichet' },
      conversation: { id: 'a:u', conversationType: 'personal', tenantId: 't' },
      channelData: { tenant: { id: 't' } },
      value: card.actions[0].data,
    } as never);
    expect(submitted.kind === 'turn' && submitted.message.action).toEqual({ verb: 'ticket.confirm', data: { number: 1042, fixed: 'true' } });
  });

  it('has no buttons when the message has no actions', () => {
    expect(cardOf(sampleMessages().ticket).actions).toBeUndefined();
  });
});

describe('tickets card', () => {
  it('lists each ticket on its own line under the title', () => {
    const card = cardOf({ type: 'tickets', title: 'Your tickets', tickets: [sampleTicket(), sampleTicket({ number: 990, title: 'Printer jam', status: 'closed', priority: 4 })], lang: 'en' });
    expect(runs(card)).toEqual(['Your tickets', '• #1042 VPN disconnects every 10 minutes — Assigned — P3', '• #990 Printer jam — Closed — P4']);
  });

  it.each([
    ['en', 'No tickets.'],
    ['fr', 'Aucun ticket.'],
  ] as const)('says there are none (%s)', (lang, words) => {
    expect(runs(cardOf({ type: 'tickets', title: 'T', tickets: [], lang }))).toEqual(['T', words]);
  });
});

describe('incident card', () => {
  it('is an attention-coloured announcement while open', () => {
    const card = cardOf({ type: 'incident', incident: sampleIncident(), lang: 'en', timeZone: 'Europe/Paris' });
    expect(card.body).toHaveLength(1);
    expect(card.body[0]).toMatchObject({ type: 'Container', style: 'attention' });
    expect(runs(card)).toEqual(['Major incident #7 — Email unavailable', 'since Mon, 30 Nov 2026, 08:45', 'The provider found the cause.']);
    expect(elements(card).find((e) => e.type === 'TextRun')).toMatchObject({ color: 'Attention', weight: 'Bolder' });
  });

  it('turns good when resolved', () => {
    const incident = sampleIncident({ status: 'resolved', resolvedAt: '2026-11-30T10:00:00.000Z', updates: [{ text: { fr: 'Service rétabli.', en: 'Service restored.' }, at: '2026-11-30T10:00:00.000Z' }] });
    const card = cardOf({ type: 'incident', incident, lang: 'fr' });
    expect(card.body[0]).toMatchObject({ type: 'Container', style: 'good' });
    expect(runs(card)[0]).toBe('Incident majeur résolu #7 — Messagerie indisponible');
    expect(runs(card)).toContain('Service rétabli.');
    expect(elements(card).find((e) => e.type === 'TextRun')).toMatchObject({ color: 'Good' });
  });
});

describe('escalation card', () => {
  it('gives agents the summary, SLA, requester record, assets, other tickets, diagnosis and known errors', () => {
    const escalation = sampleEscalation({ contact: sampleContact({ user: { ...sampleContact().user, vip: true } }) });
    const card = cardOf({ type: 'escalation', escalation, lang: 'en' });
    const words = runs(card);
    expect(words[0]).toBe('Incident #1042 — VPN disconnects every 10 minutes');
    expect(factsOf(card)).toEqual(
      expect.arrayContaining([
        ['Status', 'New'],
        ['Priority', 'P3'],
        ['Response due', 'Mon, 30 Nov 2026, 11:30'],
        ['Resolution due', 'Tue, 1 Dec 2026, 17:00'],
      ]),
    );
    expect(words).toEqual(
      expect.arrayContaining([
        `Requester: Alice Martin (${ticketLabel('en', 'vip')})`,
        'Finance · Accountant · alice.martin@example.org',
        'Dell Latitude 5440 (LT-004211)',
        '#990 Printer jam (Closed)',
        'Diagnosis',
        '- **VPN client**: GlobalProtect 6.2\n- Article *KE-0007* shown: not helpful',
        'Suggested known errors: KE-0007 VPN drops after sleep',
        'Mon, 30 Nov 2026, 09:30 · Waiting for an agent',
      ]),
    );
  });

  it('speaks the agents’ language, relay state included', () => {
    const words = runs(cardOf({ type: 'escalation', escalation: sampleEscalation({ relay: 'live' }), lang: 'fr' }));
    expect(words).toContain('Demandeur : Alice Martin');
    expect(words).toContain('Diagnostic');
    expect(words.at(-1)).toBe('lun. 30 nov. 2026, 09:30 · Conversation relayée en direct');
  });

  it('lists the attached files with their links, in the agents’ language', () => {
    const files = [{ name: 'erreur.png', url: 'https://contoso-my.sharepoint.com/personal/alice/erreur.png' }];
    const words = runs(cardOf({ type: 'escalation', escalation: sampleEscalation({ files }), lang: 'fr' }));
    expect(words).toContain('Fichiers joints');
    expect(words).toContain('📎 erreur.png — https://contoso-my.sharepoint.com/personal/alice/erreur.png');
    expect(runs(cardOf(sampleMessages().escalation))).not.toContain('Attached files');
  });

  it('turns the card’s actions into Universal Actions (Action.Execute) with the verb and data the core expects', () => {
    const card = cardOf(sampleMessages().escalation);
    expect(card.actions).toEqual([
      { type: 'Action.Execute', title: 'Take', verb: 'ticket.take', data: { number: 1042 }, style: 'positive' },
      { type: 'Action.Execute', title: 'Resolve', verb: 'ticket.resolve', data: { number: 1042 } },
    ]);
  });

  it('shows an unescaped diagnosis record as the text it stands for, never as Markdown', () => {
    const diagnosisMarkdown = '\\*\\*x\\*\\* \\<at\\>y\\</at\\> \\[a\\]\\(javascript:alert\\(1\\)\\)';
    const card = cardOf({ type: 'escalation', escalation: sampleEscalation({ diagnosisMarkdown }), lang: 'en' });
    expect(runs(card)).toContain('**x** <at>y</at> [a](javascript:alert(1))');
  });
});

describe('survey card', () => {
  it('offers five buttons that rate the ticket, labelled at both ends', () => {
    const card = cardOf({ type: 'survey', ticketNumber: 1042, question: 'Êtes-vous satisfait ?', lang: 'fr' });
    expect(runs(card)).toEqual(['Êtes-vous satisfait ?']);
    expect(card.actions).toEqual(
      [1, 2, 3, 4, 5].map((score) => ({
        type: 'Action.Submit',
        title: score === 1 ? ticketLabel('fr', 'survey1') : score === 5 ? ticketLabel('fr', 'survey5') : String(score),
        data: { verb: 'ticket.rate', number: 1042, score },
      })),
    );
  });
});

describe('hostile people’s text', () => {
  const hostileTicket = sampleTicket({
    title: HOSTILE,
    assignee: { id: 'u-9', displayName: '[Bruno](javascript:alert(1)) <at>Everyone</at> **boss**' },
    group: { id: 'g', name: '_group_ `x`', level: 1 },
    requester: { id: 'u-1', displayName: HOSTILE },
  });
  const messages: OutboundMessage[] = [
    { type: 'ticket', ticket: hostileTicket, lang: 'en', actions: [{ label: HOSTILE, verb: 'ticket.view', data: { number: 1 } }] },
    { type: 'tickets', title: HOSTILE, tickets: [hostileTicket], lang: 'en' },
    { type: 'incident', incident: sampleIncident({ title: { fr: HOSTILE, en: HOSTILE }, updates: [{ text: { fr: HOSTILE, en: HOSTILE }, at: '2026-11-30T08:15:00.000Z' }] }), lang: 'en' },
    {
      type: 'escalation',
      escalation: sampleEscalation({
        ticket: hostileTicket,
        contact: sampleContact({
          user: { ...sampleContact().user, displayName: HOSTILE, department: HOSTILE, jobTitle: HOSTILE, email: HOSTILE },
          assets: [{ tag: HOSTILE, kind: 'laptop', name: HOSTILE, status: 'in-use' }],
          recentTickets: [{ number: 2, title: HOSTILE, status: 'closed', priority: 4 }],
        }),
        diagnosisMarkdown: HOSTILE,
        suggestedKnownErrors: [{ id: 'KE-1', title: HOSTILE }],
      }),
      lang: 'en',
    },
    { type: 'survey', ticketNumber: 1, question: HOSTILE, lang: 'en' },
  ];

  it.each(messages.map((m) => [m.type, m] as const))('%s: people’s words only in TextRuns (never Markdown), escaped in facts, no mention entities', (_type, message) => {
    const activity = renderForTeams(message);
    const card = activity.attachments![0]!.content as any;
    // Nothing in the card is read as Markdown except FactSets, and the activity has no mention entities.
    expect(elements(card).filter((e) => e.type === 'TextBlock')).toEqual([]);
    expect(activity.entities).toBeUndefined();
    expect(JSON.stringify(card)).not.toContain('msteams');
    // The hostile text shows as typed wherever it is a TextRun.
    expect(runs(card).some((t) => t.includes(HOSTILE))).toBe(true);
    // In FactSets (Markdown), no link, mention or emphasis survives.
    for (const [, value] of factsOf(card)) {
      // No "](" (link), no "<letter" (tag, mention), no mark touching a word (emphasis, code).
      expect(value).not.toMatch(/\]\(|<[a-z]|[*_`~][\p{L}]|[\p{L}][*_`~]|\*\*/iu);
    }
    // The summary Teams shows in notifications is plain text.
    expect(activity.textFormat).toBeUndefined();
  });

  it('keeps an escaped assignee’s name readable in the facts', () => {
    const value = factsOf(cardOf(messages[0]!)).find(([title]) => title === 'Assignee')![1];
    expect(value.replace(/\u200B/g, '')).toBe('[Bruno](javascript:alert(1)) <at>Everyone</at> **boss**');
  });
});

describe('size', () => {
  const huge = 'é<'.repeat(40_000);
  const oversized: [string, OutboundMessage][] = [
    ['ticket', { type: 'ticket', ticket: sampleTicket({ title: huge }), lang: 'en' }],
    ['tickets', { type: 'tickets', title: 'Queue', tickets: Array.from({ length: 400 }, (_, i) => sampleTicket({ number: i + 1, title: `Ticket with a rather long title number ${i}` })), lang: 'en' }],
    ['incident', { type: 'incident', incident: sampleIncident({ updates: [{ text: { fr: huge, en: huge }, at: '2026-11-30T08:15:00.000Z' }] }), lang: 'en' }],
    ['escalation', { type: 'escalation', escalation: sampleEscalation({ diagnosisMarkdown: huge }), lang: 'en' }],
    ['survey', { type: 'survey', ticketNumber: 1, question: huge, lang: 'en' }],
  ];

  it.each(oversized)('keeps an oversized %s under the limit, and its words still arrive, cut with a marker', (_type, message) => {
    const activity = renderForTeams(message);
    expect(activityBytes(activity)).toBeLessThanOrEqual(MAX_ACTIVITY_BYTES);
    expect(JSON.stringify(activity)).toContain(' […]');
  });
});

describe('notification summary', () => {
  it('is the card’s words as plain text, cut on a code point (never half an emoji)', () => {
    const question = `${'a'.repeat(199)}👩🏽‍💻 and more`;
    const summary = renderForTeams({ type: 'survey', ticketNumber: 1, question, lang: 'en' }).summary!;
    expect(summary).toBe(`${'a'.repeat(199)}\u{1F469}`);
    expect(summary).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/); // no lone surrogate
  });
});
