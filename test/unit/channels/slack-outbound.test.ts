import { sampleMessages } from '../../helpers/samples.ts';
import { describe, expect, it } from 'vitest';
import { LIMITS, escapeMrkdwn, markdownToMrkdwn, renderForSlack } from '../../../src/channels/slack/outbound.ts';

/** No raw Slack control sequence: no `<…>` at all (links, mentions, specials) and no bare `&`. */
const inert = (mrkdwn: string) => !/[<>]/.test(mrkdwn) && !/&(?!amp;|lt;|gt;)/.test(mrkdwn);

describe('Slack text rendering (user and bot words)', () => {
  const hostile: [string, string, string][] = [
    ['@channel', '<!channel> wake up', '&lt;!channel&gt; wake up'],
    ['@here / @everyone', '<!here> <!everyone>', '&lt;!here&gt; &lt;!everyone&gt;'],
    ['a user mention', 'ping <@U123BOSS>', 'ping &lt;@U123BOSS&gt;'],
    ['a disguised link', '<https://evil.example/reset|Reset your password>', '&lt;https://evil.example/reset|Reset your password&gt;'],
    ['a user group', '<!subteam^S0ADMINS|@admins>', '&lt;!subteam^S0ADMINS|@admins&gt;'],
    ['an already escaped entity', 'AT&amp;T &lt;3', 'AT&amp;amp;T &amp;lt;3'],
    ['a channel link', '<#C0GENERAL|general>', '&lt;#C0GENERAL|general&gt;'],
    ['HTML', '<script>alert(1)</script>', '&lt;script&gt;alert(1)&lt;/script&gt;'],
    ['a quote marker', '> not a quote', '&gt; not a quote'],
  ];

  it.each(hostile)('shows %s as text', (_name, input, expected) => {
    const rendered = renderForSlack({ type: 'text', text: input });
    expect(rendered).toEqual({ text: expected });
    expect(inert(rendered.text)).toBe(true);
  });

  it('keeps any Unicode byte for byte', () => {
    const text = 'Émile 👩🏽‍💻 \u202Eevil\u202C e\u0301 𝔘';
    expect(renderForSlack({ type: 'text', text })).toEqual({ text });
  });

  it('cuts a huge text under Slack’s limit without splitting an escape', () => {
    const text = '<'.repeat(20_000);
    const rendered = renderForSlack({ type: 'text', text }).text;
    expect(rendered.length).toBeLessThanOrEqual(LIMITS.text);
    expect(rendered.endsWith('&lt; […]')).toBe(true);
  });
});

describe('Slack markdown rendering (Guichet’s own content)', () => {
  const cases: [string, string, string][] = [
    ['bold', '**Ce que je sais faire**', '*Ce que je sais faire*'],
    ['italic with stars', 'un *mot* important', 'un _mot_ important'],
    ['italic with underscores', 'un _mot_ important', 'un _mot_ important'],
    ['strike', '~~old~~ new', '~old~ new'],
    ['a dash list', '- one\n- two', '• one\n• two'],
    ['a star list, nested', '* one\n  * two', '• one\n  • two'],
    ['a numbered list', '1. first\n2) second', '1. first\n2. second'],
    ['a heading', '## VPN **access**', '*VPN access*'],
    ['an https link', 'see [the portal](https://it.example.org/vpn?a=1&b=2)', 'see <https://it.example.org/vpn?a=1&amp;b=2|the portal>'],
    ['a mailto link (label only)', 'write to [the desk](mailto:desk@example.org)', 'write to the desk'],
    ['a javascript: link (label only)', '[click](javascript:alert(1))', 'click'],
    ['a data: link (label only)', '[img](data:text/html;base64,xxx)', 'img'],
    ['a link with a pipe and angle brackets in its label', '[a|b<c>](https://x.example/)', '<https://x.example/|a|b&lt;c&gt;>'],
    ['an image', '![diagram](https://x.example/d.png)', '<https://x.example/d.png|diagram>'],
    ['inline code', 'run `ipconfig /flushdns`', 'run `ipconfig /flushdns`'],
    ['a quote', '> tip', '>tip'],
    ['hostile text in markdown', 'hi <!channel> & <@U1> <https://evil|x>', 'hi &lt;!channel&gt; &amp; &lt;@U1&gt; &lt;https://evil|x&gt;'],
    ['a code block', '```\n<b>x</b> **y**\n```', '```\n&lt;b&gt;x&lt;/b&gt; **y**\n```'],
  ];

  it.each(cases)('converts %s', (_name, markdown, expected) => {
    expect(markdownToMrkdwn(markdown)).toBe(expected);
    expect(renderForSlack({ type: 'markdown', markdown })).toEqual({ text: expected });
  });

  it('writes raw < > only for the links it builds', () => {
    const out = markdownToMrkdwn('a <b> [ok](https://ok.example) [ko](ftp://x) <!here>');
    expect(out).toBe('a &lt;b&gt; <https://ok.example|ok> ko &lt;!here&gt;');
  });
});

describe('Slack choices rendering', () => {
  it('renders a section and one button per choice, action_id choice:<n>, value the choice value', () => {
    const rendered = renderForSlack({ type: 'choices', text: 'Pick <!here>', choices: [{ label: 'Oui', value: 'oui' }, { label: 'Non <@U1>', value: 'non' }] });
    expect(rendered).toEqual({
      text: 'Pick &lt;!here&gt;',
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text: 'Pick &lt;!here&gt;' } },
        {
          type: 'actions',
          block_id: 'guichet-choices',
          elements: [
            { type: 'button', action_id: 'choice:0', text: { type: 'plain_text', text: 'Oui', emoji: true }, value: 'oui' },
            // Button labels are plain_text: Slack never parses them, so they are not escaped.
            { type: 'button', action_id: 'choice:1', text: { type: 'plain_text', text: 'Non <@U1>', emoji: true }, value: 'non' },
          ],
        },
      ],
    });
  });

  it('keeps within Slack’s block limits', () => {
    const choices = Array.from({ length: 30 }, (_, i) => ({ label: `${'L'.repeat(100)}${i}`, value: 'v'.repeat(3_000) }));
    const rendered = renderForSlack({ type: 'choices', text: 'x'.repeat(5_000), choices });
    const [section, actions] = rendered.blocks as any[];
    expect(section.text.text.length).toBeLessThanOrEqual(LIMITS.section);
    expect(actions.elements).toHaveLength(LIMITS.buttons);
    for (const button of actions.elements) {
      expect(Array.from(button.text.text as string).length).toBeLessThanOrEqual(LIMITS.buttonLabel);
      expect(button.value.length).toBeLessThanOrEqual(LIMITS.buttonValue);
    }
  });
});

describe('Slack article rendering', () => {
  const article = { id: 'KE-0042', lang: 'fr' as const, type: 'known-error' as const, title: 'VPN <!channel> coupé', markdown: '**Contournement** : redémarrer.\n\n- étape 1\n- [portail](https://it.example.org)', services: ['vpn'] };

  it('renders a header, the body as mrkdwn and the id', () => {
    const rendered = renderForSlack({ type: 'article', article, confidence: 0.8 });
    expect(rendered.blocks).toEqual([
      { type: 'header', text: { type: 'plain_text', text: 'VPN <!channel> coupé', emoji: true } },
      { type: 'section', text: { type: 'mrkdwn', text: '*Contournement* : redémarrer.\n\n• étape 1\n• <https://it.example.org|portail>' } },
      { type: 'context', elements: [{ type: 'mrkdwn', text: 'KE-0042 · known-error' }] },
    ]);
    expect(rendered.text).toBe('*VPN &lt;!channel&gt; coupé*\n*Contournement* : redémarrer.\n\n• étape 1\n• <https://it.example.org|portail>');
  });

  it('splits a long body into sections of at most 3 000 characters and at most 50 blocks', () => {
    const long = { ...article, markdown: Array.from({ length: 4_000 }, (_, i) => `line ${i} & more`).join('\n') };
    const blocks = renderForSlack({ type: 'article', article: long, confidence: 1 }).blocks as any[];
    expect(blocks.length).toBeLessThanOrEqual(LIMITS.blocks);
    for (const block of blocks.filter((b) => b.type === 'section')) {
      expect(block.text.text.length).toBeLessThanOrEqual(LIMITS.section);
      expect(block.text.text).not.toMatch(/&[a-z]{0,3}$/);
    }
  });
});

describe('Slack renderer table', () => {
  it('renders every outbound type (a new type fails to compile until rendered)', () => {
    const samples = sampleMessages();
    for (const message of Object.values(samples)) expect(renderForSlack(message).text.length).toBeGreaterThan(0);
  });

  it('escapes exactly & < >', () => {
    expect(escapeMrkdwn('&<>*_~`')).toBe('&amp;&lt;&gt;*_~`');
  });
});
