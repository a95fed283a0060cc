import { describe, expect, it } from 'vitest';
import { admit, fromBlockActions, fromEvent, fromSlackText, fromSlashCommand, toInbound, withoutBotMention } from '../../../src/channels/slack/inbound.ts';
import { buttonClick, dmEvent, eventEnvelope, mentionEvent, slashCommand } from '../../helpers/slack-signing.ts';

const BOT_USER = 'UGUICHET';

describe('Slack events → turns', () => {
  it('turns a DM into a personal turn whose delivery id is the event_id', () => {
    const body = dmEvent('UALICE', 'bonjour &lt;3', {}, { eventId: 'Ev0001' });
    expect(fromEvent(body, BOT_USER)).toEqual({
      kind: 'turn',
      turn: { deliveryId: 'Ev0001', teamId: 'T0ACME', userId: 'UALICE', text: 'bonjour <3', place: { kind: 'dm', channel: 'DALICE' } },
    });
  });

  it('answers a DM thread reply in its thread', () => {
    const body = dmEvent('UALICE', 'merci', { thread_ts: '1.000001', ts: '1.000009' });
    expect(fromEvent(body, BOT_USER)).toMatchObject({ turn: { place: { kind: 'dm', channel: 'DALICE', threadTs: '1.000001' } } });
  });

  it.each([
    ['an edit', { subtype: 'message_changed' }, 'subtype'],
    ['a deletion', { subtype: 'message_deleted' }, 'subtype'],
    ['a file share', { subtype: 'file_share' }, 'subtype'],
    ['a bot message', { subtype: 'bot_message', bot_id: 'B1' }, 'subtype'],
    ['a message carrying a bot_id', { bot_id: 'B1' }, 'from-a-bot'],
    ['Guichet’s own message', { user: BOT_USER }, 'from-a-bot'],
    ['an edited flag', { edited: { user: 'UALICE', ts: '1' } }, 'subtype'],
    ['a channel message', { channel_type: 'channel', channel: 'C1' }, 'not-direct'],
    ['a group DM message', { channel_type: 'mpim', channel: 'G1' }, 'not-direct'],
  ])('ignores %s', (_name, fields, reason) => {
    expect(fromEvent(dmEvent('UALICE', 'x', fields), BOT_USER)).toEqual({ kind: 'ignore', reason });
  });

  it('turns an app_mention into a channel-thread turn with the mention removed', () => {
    const body = mentionEvent('UALICE', 'C0SUPPORT', `<@${BOT_USER}> le VPN <@U0BOB> ne marche pas`, { ts: '5.000001' }, { eventId: 'Ev0002' });
    expect(fromEvent(body, BOT_USER)).toEqual({
      kind: 'turn',
      turn: { deliveryId: 'Ev0002', teamId: 'T0ACME', userId: 'UALICE', text: 'le VPN @U0BOB ne marche pas', place: { kind: 'thread', channel: 'C0SUPPORT', threadTs: '5.000001' } },
    });
  });

  it('answers a mention inside a thread in that thread', () => {
    const body = mentionEvent('UALICE', 'C0SUPPORT', `<@${BOT_USER}> aide`, { ts: '5.000009', thread_ts: '5.000001' });
    expect(fromEvent(body, BOT_USER)).toMatchObject({ turn: { place: { threadTs: '5.000001' } } });
  });

  it('leaves a mention in a DM to message.im', () => {
    expect(fromEvent(mentionEvent('UALICE', 'DALICE', `<@${BOT_USER}> aide`), BOT_USER)).toEqual({ kind: 'ignore', reason: 'mention-in-dm' });
  });

  it('ignores other events and malformed bodies', () => {
    expect(fromEvent(eventEnvelope({ type: 'app_home_opened', user: 'UALICE', tab: 'messages' }))).toEqual({ kind: 'ignore', reason: 'not-a-user-message' });
    expect(fromEvent({ type: 'event_callback' })).toEqual({ kind: 'ignore', reason: 'malformed' });
    expect(fromEvent(eventEnvelope({ type: 'message', channel: 5 }))).toEqual({ kind: 'ignore', reason: 'malformed' });
  });
});

describe('Slack button clicks → turns', () => {
  it('turns a click in a DM into the choice value, with a stable delivery id', () => {
    const body = buttonClick('UALICE', 1, 'english', 'English', { channel: 'DALICE', messageTs: '7.000001', actionTs: '7.500000' });
    expect(fromBlockActions(body)).toEqual({
      kind: 'turn',
      turn: { deliveryId: 'action:7.000001:7.500000', teamId: 'T0ACME', userId: 'UALICE', text: 'english', place: { kind: 'dm', channel: 'DALICE' } },
    });
  });

  it('answers a click in a channel thread in that thread', () => {
    const body = buttonClick('UALICE', 0, 'oui', 'Oui', { channel: 'C0SUPPORT', messageTs: '7.000003', threadTs: '7.000001' });
    expect(fromBlockActions(body)).toMatchObject({ turn: { place: { kind: 'thread', channel: 'C0SUPPORT', threadTs: '7.000001' } } });
  });

  it('answers a click on an ephemeral message privately', () => {
    const body = buttonClick('UALICE', 0, 'oui', 'Oui', { channel: 'C0GENERAL', ephemeral: true, responseUrl: 'https://hooks.slack.com/actions/x' });
    expect(fromBlockActions(body)).toMatchObject({ turn: { place: { kind: 'private', channel: 'C0GENERAL', responseUrl: 'https://hooks.slack.com/actions/x' } } });
  });

  it('ignores other actions', () => {
    const body = buttonClick('UALICE', 0, 'x', 'x');
    body.actions[0].action_id = 'claim-ticket';
    expect(fromBlockActions(body)).toEqual({ kind: 'ignore', reason: 'unknown-action' });
    const select = buttonClick('UALICE', 0, 'x', 'x');
    select.actions[0].type = 'static_select';
    expect(fromBlockActions(select)).toEqual({ kind: 'ignore', reason: 'unknown-action' });
    expect(fromBlockActions({ type: 'block_actions', actions: [] })).toEqual({ kind: 'ignore', reason: 'malformed' });
  });
});

describe('Slack /guichet → turns', () => {
  it('turns /guichet <text> into a private turn, delivery id from the trigger_id', () => {
    expect(fromSlashCommand(slashCommand('UALICE', '  mot de passe oublié ', { triggerId: '123.456', responseUrl: 'https://hooks.slack.com/commands/x' }))).toEqual({
      kind: 'turn',
      turn: { deliveryId: 'command:123.456', teamId: 'T0ACME', userId: 'UALICE', text: 'mot de passe oublié', place: { kind: 'private', channel: 'C0GENERAL', responseUrl: 'https://hooks.slack.com/commands/x' } },
    });
  });

  it('asks for help on an empty /guichet', () => {
    expect(fromSlashCommand(slashCommand('UALICE', '   '))).toMatchObject({ turn: { text: '?' } });
  });

  it('ignores another command', () => {
    expect(fromSlashCommand({ ...slashCommand('UALICE', 'x'), command: '/other' })).toEqual({ kind: 'ignore', reason: 'unknown-command' });
  });
});

describe('Slack workspaces and Slack Connect', () => {
  const served = new Set(['T0ACME', 'E0GRID']);

  it.each([
    ['an event of a served workspace', dmEvent('U1', 'x'), { ok: true, teamId: 'T0ACME' }],
    ['an event of another workspace', dmEvent('U1', 'x', {}, { team: 'T0OTHER' }), { ok: false, reason: 'foreign-workspace' }],
    ['an event of a served grid org', { ...dmEvent('U1', 'x', { user_team: 'T0GRIDWS' }, { team: 'T0GRIDWS' }), enterprise_id: 'E0GRID' }, { ok: true, teamId: 'T0GRIDWS' }],
    ['an externally shared channel', dmEvent('U1', 'x', {}, { extra: { is_ext_shared_channel: true } }), { ok: false, reason: 'shared-channel' }],
    ['an external user', mentionEvent('U1', 'C1', 'x', { user_team: 'T0PARTNER' }), { ok: false, reason: 'external-user' }],
    ['a click of another workspace', buttonClick('U1', 0, 'x', 'x', { team: 'T0OTHER' }), { ok: false, reason: 'foreign-workspace' }],
    ['a click of an external user', buttonClick('U1', 0, 'x', 'x', { userTeam: 'T0PARTNER' }), { ok: false, reason: 'external-user' }],
    ['a grid click without a team (org-wide install)', { ...buttonClick('U1', 0, 'x', 'x'), team: null }, { ok: true, teamId: 'T0ACME' }],
    ['a command of another workspace', slashCommand('U1', 'x', { team: 'T0OTHER' }), { ok: false, reason: 'foreign-workspace' }],
    ['a command of a served workspace', slashCommand('U1', 'x'), { ok: true, teamId: 'T0ACME' }],
    ['a body without a workspace', { type: 'event_callback' }, { ok: false, reason: 'no-workspace' }],
  ])('%s', (_name, body, expected) => {
    expect(admit(body, served)).toEqual(expected);
  });

  it('serves every workspace when SLACK_TEAM_IDS is empty, but still not external users', () => {
    expect(admit(dmEvent('U1', 'x', {}, { team: 'T0ANY' }), new Set())).toEqual({ ok: true, teamId: 'T0ANY' });
    expect(admit(mentionEvent('U1', 'C1', 'x', { user_team: 'T0PARTNER' }), new Set())).toEqual({ ok: false, reason: 'external-user' });
  });
});

describe('Slack markup and the InboundMessage', () => {
  it.each([
    ['<@U123>', '@U123'],
    ['<@U123|alice>', '@alice'],
    ['<#C123|general>', '#general'],
    ['<!here>', '@here'],
    ['<!subteam^S1|@admins>', '@admins'],
    ['<https://example.org>', 'https://example.org'],
    ['<https://example.org|the site>', 'the site (https://example.org)'],
    ['<mailto:a@b.org|a@b.org>', 'a@b.org'],
    ['a &amp;&lt;b&gt;', 'a &<b>'],
  ])('reads %s as %s', (slack, plain) => {
    expect(fromSlackText(slack)).toBe(plain);
  });

  it('removes only Guichet’s own mention, or the leading one when its id is unknown', () => {
    expect(withoutBotMention('<@UGUICHET> hi <@UBOB>', 'UGUICHET')).toBe('hi <@UBOB>');
    expect(withoutBotMention('hey <@UGUICHET|guichet>, help', 'UGUICHET')).toBe('hey , help');
    expect(withoutBotMention('<@UXYZ> help')).toBe('help');
  });

  it('builds the InboundMessage with the profile and a reference for proactive messages', () => {
    const dm = fromEvent(dmEvent('UALICE', 'bonjour', { thread_ts: '1.1', ts: '1.2' }, { eventId: 'Ev9' }));
    if (dm.kind !== 'turn') throw new Error('expected a turn');
    expect(toInbound(dm.turn, { displayName: 'Alice Martin', locale: 'fr-FR' })).toEqual({
      channel: 'slack',
      deliveryId: 'Ev9',
      tenantId: 'T0ACME',
      user: { externalId: 'UALICE', displayName: 'Alice Martin', locale: 'fr-FR' },
      // Proactive messages go to the DM itself, not to the thread of the last message.
      conversation: { externalId: 'DALICE', kind: 'personal', reference: { teamId: 'T0ACME', channel: 'DALICE' } },
      text: 'bonjour',
    });
    const command = fromSlashCommand(slashCommand('UALICE', 'aide'));
    if (command.kind !== 'turn') throw new Error('expected a turn');
    expect(toInbound(command.turn, {}, 'DALICE').conversation).toEqual({ externalId: 'DALICE', kind: 'personal', reference: { teamId: 'T0ACME', channel: 'DALICE' } });
    expect(() => toInbound(command.turn, {})).toThrow(/no personal channel/);
  });
});
