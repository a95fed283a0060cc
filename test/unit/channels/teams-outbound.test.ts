import { describe, expect, it } from 'vitest';
import type { OutboundRenderers } from '../../../src/core/messages.ts';
import {
  MAX_ACTIVITY_BYTES,
  activityBytes,
  escapeMarkdown,
  renderForTeams,
  safeMarkdown,
} from '../../../src/channels/teams/outbound.ts';

describe('renderForTeams', () => {
  it('renders text as escaped Markdown', () => {
    expect(renderForTeams({ type: 'text', text: 'Bonjour Alice !' })).toEqual({ type: 'message', textFormat: 'markdown', text: 'Bonjour Alice !' });
  });

  it('renders Guichet’s Markdown with its formatting', () => {
    expect(renderForTeams({ type: 'markdown', markdown: '**Aide**\n\n- un\n- deux' })).toEqual({
      type: 'message',
      textFormat: 'markdown',
      text: '**Aide**\n\n- un\n- deux',
    });
  });

  it('renders choices as an Adaptive Card 1.5 whose text is never Markdown', () => {
    expect(renderForTeams({ type: 'choices', text: '**Langue**', choices: [{ label: 'English', value: 'english' }] })).toEqual({
      type: 'message',
      attachments: [
        {
          contentType: 'application/vnd.microsoft.card.adaptive',
          content: {
            type: 'AdaptiveCard',
            $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
            version: '1.5',
            body: [{ type: 'RichTextBlock', inlines: [{ type: 'TextRun', text: '**Langue**' }] }],
            actions: [{ type: 'Action.Submit', title: 'English', data: { verb: 'choice', value: 'english' } }],
          },
        },
      ],
    });
  });

  it('renders an article as Markdown: escaped title, safe body, id and kind in the reader’s language', () => {
    const article = {
      id: 'KE-0042',
      lang: 'fr' as const,
      type: 'known-error' as const,
      title: 'VPN *bloqué* <b>',
      markdown: '**Contournement** : [redémarrer](javascript:alert(1)) puis [voir](https://intranet/vpn).',
      services: ['vpn'],
    };
    expect(renderForTeams({ type: 'article', article, confidence: 0.8 })).toEqual({
      type: 'message',
      textFormat: 'markdown',
      text: '**VPN \\*bloqué\\* &lt;b&gt;**\n\n**Contournement** : redémarrer puis [voir](https://intranet/vpn).\n\n_KE-0042 · Erreur connue_',
    });
  });

  it('has a renderer for every outbound type (a missing one does not compile)', () => {
    // @ts-expect-error — "choices" is missing: OutboundRenderers demands every type.
    const incomplete: OutboundRenderers<string> = { text: (m) => m.text, markdown: (m) => m.markdown, article: (m) => m.article.title };
    expect(Object.keys(incomplete)).toHaveLength(3);
  });
});

describe('escapeMarkdown: user text is shown as typed', () => {
  it.each([
    ['**x** <at>y</at> [a](javascript:alert(1))', '\\*\\*x\\*\\* &lt;at&gt;y&lt;/at&gt; \\[a\\](javascript:alert(1))'],
    ['<img src=x onerror=alert(1)>', '&lt;img src=x onerror=alert(1)&gt;'],
    ['_it_ ~~del~~ `code`', '\\_it\\_ \\~\\~del\\~\\~ \\`code\\`'],
    ['# title\n- item\n+ item\n1. first\n> quote\n---', '\\# title\n\\- item\n\\+ item\n1\\. first\n&gt; quote\n\\---'],
    ['R&D &amp; co', 'R&amp;D &amp;amp; co'],
    ['C:\\Users\\me', 'C:\\\\Users\\\\me'],
    ['![img](https://evil/x.png)', '!\\[img\\](https://evil/x.png)'],
    ['plain words, e-mail, 3.5 % — é 👩🏽‍💻', 'plain words, e-mail, 3.5 % — é 👩🏽‍💻'],
  ])('%j', (input, expected) => {
    expect(escapeMarkdown(input)).toBe(expected);
  });
});

describe('safeMarkdown: Guichet’s Markdown without HTML or scripted links', () => {
  it.each([
    ['see [the guide](https://intranet/vpn)', 'see [the guide](https://intranet/vpn)'],
    ['mail [us](mailto:it@example.org)', 'mail [us](mailto:it@example.org)'],
    ['[a](javascript:alert(1))', 'a'],
    ['[a]( JavaScript:alert(1) "t")', 'a'],
    ['![x](data:image/png;base64,AAAA)', 'x'],
    ['[a][1]\n[1]: javascript:alert(1)', '[a][1]\n'],
    ['<script>alert(1)</script> <at>everyone</at>', '&lt;script&gt;alert(1)&lt;/script&gt; &lt;at&gt;everyone&lt;/at&gt;'],
  ])('%j', (input, expected) => {
    expect(safeMarkdown(input)).toBe(expected);
  });
});

describe('size', () => {
  it.each([
    ['text', (s: string) => ({ type: 'text' as const, text: s })],
    ['markdown', (s: string) => ({ type: 'markdown' as const, markdown: s })],
    ['choices', (s: string) => ({ type: 'choices' as const, text: s, choices: [{ label: 'OK', value: 'ok' }] })],
    ['article', (s: string) => ({ type: 'article' as const, confidence: 1, article: { id: 'FAQ-1', lang: 'en' as const, type: 'faq' as const, title: 'Long', markdown: s, services: [] } })],
  ])('cuts long %s under %d bytes, with a marker', (_type, make) => {
    const activity = renderForTeams(make('é<'.repeat(40_000)));
    expect(activityBytes(activity)).toBeLessThanOrEqual(MAX_ACTIVITY_BYTES);
    expect(activityBytes(activity)).toBeGreaterThan(MAX_ACTIVITY_BYTES - 200);
    expect(JSON.stringify(activity)).toContain(' […]');
  });

  it('never splits a surrogate pair when cutting', () => {
    const activity = renderForTeams({ type: 'text', text: '😀'.repeat(20_000) });
    expect(activity.text).toMatch(/^(?:😀)+ \[…\]$/u);
  });
});
