/**
 * GLPI mode: the ticket card shows GLPI's number first (TicketView.reference), with Guichet's
 * number beside it (chat commands use it), in Slack, Teams and the plain text of the web chat.
 */
import { describe, expect, it } from 'vitest';
import { renderForSlack } from '../../../src/channels/slack/outbound.ts';
import { renderForTeams } from '../../../src/channels/teams/outbound.ts';
import { renderPlainText } from '../../../src/core/render-text.ts';
import type { OutboundMessage } from '../../../src/core/messages.ts';
import { sampleTicket } from '../../helpers/samples.ts';

const withGlpi: OutboundMessage = { type: 'ticket', ticket: sampleTicket({ reference: 'GLPI 57', title: 'Écran qui scintille' }), lang: 'fr' };
const without: OutboundMessage = { type: 'ticket', ticket: sampleTicket({ title: 'Écran qui scintille' }), lang: 'fr' };

describe("GLPI's number on the ticket card", () => {
  it('heads the Slack card', () => {
    const header = JSON.stringify(renderForSlack(withGlpi).blocks?.[0]);
    expect(header).toContain('GLPI 57 (#1042) Écran qui scintille');
    expect(JSON.stringify(renderForSlack(without).blocks?.[0])).toContain('#1042 Écran qui scintille');
    expect(JSON.stringify(renderForSlack(without).blocks?.[0])).not.toContain('GLPI');
  });

  it('heads the Teams card', () => {
    const card = JSON.stringify(renderForTeams(withGlpi).attachments?.[0]?.content);
    expect(card).toContain('GLPI 57 (#1042) — Écran qui scintille');
    expect(JSON.stringify(renderForTeams(without).attachments?.[0]?.content)).toContain('#1042 — Écran qui scintille');
  });

  it('heads the web chat and terminal text, and ticket lists', () => {
    expect(renderPlainText(withGlpi).split('\n')[0]).toBe('Incident GLPI 57 (#1042) Écran qui scintille');
    expect(renderPlainText({ type: 'tickets', title: 'Vos tickets', tickets: [sampleTicket({ reference: 'GLPI 57' })], lang: 'fr' })).toContain('- GLPI 57 (#1042)');
  });
});
