import { describe, expect, it } from 'vitest';
import { cardActionId, cardActionValue, parseCardAction } from '../../../src/channels/slack/actions.ts';
import { admit, fromBlockActions, fromEvent, fromHomeOpened, fromSlashCommand, fromViewSubmission, toInbound } from '../../../src/channels/slack/inbound.ts';
import { fromSlackText, withoutBotMention } from '../../../src/channels/slack/mrkdwn.ts';
import { buttonClick, dmEvent, eventEnvelope, homeButtonClick, homeOpened, mentionEvent, slashCommand, viewSubmission } from '../../helpers/slack-signing.ts';

const BOT_USER = 'UGUICHET';

describe('Slack events → turns', () => {
  it('turns a DM into a personal turn whose delivery id is the event_id', () => {
    const body = dmEvent('UALICE', 'bonjour &lt;3', {}, { eventId: 'Ev0001' });
    expect(fromEvent(body, BOT_USER)).toEqual({
      kind: 'turn',
      turn: { deliveryId: 'Ev0001', teamId: 'T0ACME', userId: 'UALICE', text: 'bonjour <3', place: { kind: 'dm', channel: 'DALICE' } },
    });
  });

  it('keeps the files shared in a DM as their permalinks, leaving out one with no link', () => {
    const files = [
      { id: 'F1', name: 'erreur-vpn.png', mimetype: 'image/png', size: 48_213, url_private: 'https://files.slack.com/files-pri/T0ACME-F1/erreur-vpn.png', permalink: 'https://acme.slack.com/files/UALICE/F1/erreur-vpn.png' },
      { id: 'F2', mode: 'tombstone' },
      { id: 'F3', title: 'journal', url_private: 'https://files.slack.com/files-pri/T0ACME-F3/journal' },
    ];
    const result = fromEvent(dmEvent('UALICE', 'voici l’erreur', { subtype: 'file_share', files }), BOT_USER);
    expect(result).toMatchObject({
      kind: 'turn',
      turn: {
        text: 'voici l’erreur',
        files: [
          { name: 'erreur-vpn.png', url: 'https://acme.slack.com/files/UALICE/F1/erreur-vpn.png', contentType: 'image/png', size: 48_213 },
          { name: 'journal', url: 'https://files.slack.com/files-pri/T0ACME-F3/journal' },
        ],
      },
    });
    if (result.kind !== 'turn') throw new Error('not a turn');
    expect(toInbound(result.turn, {}).files).toHaveLength(2);
    // A link that is not http(s) is no file for Guichet.
    const hostile = fromEvent(dmEvent('UALICE', '', { subtype: 'file_share', files: [{ name: 'x', permalink: 'javascript:alert(1)' }] }), BOT_USER);
    expect(hostile).toMatchObject({ kind: 'turn', turn: { text: '' } });
    expect((hostile as { turn: { files?: unknown } }).turn.files).toBeUndefined();
  });

  it('answers a DM thread reply in its thread', () => {
    const body = dmEvent('UALICE', 'merci', { thread_ts: '1.000001', ts: '1.000009' });
    expect(fromEvent(body, BOT_USER)).toMatchObject({ turn: { place: { kind: 'dm', channel: 'DALICE', threadTs: '1.000001' } } });
  });

  it.each([
    ['an edit', { subtype: 'message_changed' }, 'subtype'],
    ['a deletion', { subtype: 'message_deleted' }, 'subtype'],
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

describe('Slack card buttons → the core’s actions', () => {
  const cardClick = (actionId: string, value: string | undefined) => {
    const body = buttonClick('UAGENT', 0, 'x', 'Take', { channel: 'C0AGENTS', messageTs: '8.000001', actionTs: '8.500000' });
    body.actions[0].action_id = actionId;
    body.actions[0].value = value;
    return body;
  };

  it('turns a card button into an inbound action {verb, data}, in the thread of the card', () => {
    const result = fromBlockActions(cardClick(cardActionId(0, 'ticket.take'), '{"number":1042}'));
    expect(result).toEqual({
      kind: 'turn',
      turn: {
        deliveryId: 'action:8.000001:8.500000',
        teamId: 'T0ACME',
        userId: 'UAGENT',
        text: '',
        action: { verb: 'ticket.take', data: { number: 1042 } },
        place: { kind: 'thread', channel: 'C0AGENTS', threadTs: '8.000001' },
      },
    });
    if (result.kind !== 'turn') throw new Error('expected a turn');
    const inbound = toInbound(result.turn, {});
    expect(inbound.action).toEqual({ verb: 'ticket.take', data: { number: 1042 } });
    expect(inbound.text).toBeUndefined();
    expect(inbound.conversation).toMatchObject({ externalId: 'C0AGENTS:8.000001', kind: 'channel' });
  });

  it('round-trips every button the renderers make', () => {
    const action = { label: 'Escalate', verb: 'ticket.escalate', data: { number: 7, level: 3, note: 'a "quoted" <b>' } };
    expect(parseCardAction(cardActionId(4, action.verb), cardActionValue(action))).toEqual({ ok: true, verb: 'ticket.escalate', data: action.data });
    expect(parseCardAction(cardActionId(0, 'ticket.rate'), undefined)).toEqual({ ok: true, verb: 'ticket.rate', data: {} });
  });

  it.each([
    ['a value that is not JSON', cardActionId(0, 'ticket.take'), '{number:1}'],
    ['a value that is an array', cardActionId(0, 'ticket.take'), '[1,2]'],
    ['a nested object', cardActionId(0, 'ticket.take'), '{"number":{"$gt":1}}'],
    ['a boolean', cardActionId(0, 'ticket.take'), '{"all":true}'],
    ['a prototype key', cardActionId(0, 'ticket.take'), '{"__proto__":{"admin":1}}'],
    ['too many fields', cardActionId(0, 'ticket.take'), JSON.stringify(Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`f${i}`, i])))],
    ['a huge string', cardActionId(0, 'ticket.note'), JSON.stringify({ text: 'x'.repeat(600) })],
    ['a verb with spaces', 'act:0:ticket take', '{}'],
    ['a verb in capitals', 'act:0:TICKET.TAKE', '{}'],
  ])('ignores a card button with %s', (_name, actionId, value) => {
    expect(fromBlockActions(cardClick(actionId, value))).toEqual({ kind: 'ignore', reason: 'bad-action' });
  });

  it('ignores buttons that are neither choices nor card actions', () => {
    expect(fromBlockActions(cardClick('act:x:ticket.take', '{}'))).toEqual({ kind: 'ignore', reason: 'unknown-action' });
    expect(fromBlockActions(cardClick('guichet-something', undefined))).toEqual({ kind: 'ignore', reason: 'unknown-action' });
  });

  it('opens the ticket modal for the Home tab’s button', () => {
    expect(fromBlockActions(homeButtonClick('UALICE', 'guichet-new-ticket', { triggerId: '5.5' }))).toEqual({
      kind: 'open-modal',
      request: { teamId: 'T0ACME', userId: 'UALICE', triggerId: '5.5' },
    });
    const noTrigger = homeButtonClick('UALICE', 'guichet-new-ticket');
    delete noTrigger.trigger_id;
    expect(fromBlockActions(noTrigger)).toEqual({ kind: 'ignore', reason: 'unknown-action' });
  });
});

describe('Slack Home tab and modal submissions', () => {
  it('reads who opened the Home tab, and nothing for the Messages tab', () => {
    const opened = homeOpened('UALICE');
    expect(fromHomeOpened(opened)).toEqual({ teamId: 'T0ACME', userId: 'UALICE', deliveryId: opened.event_id });
    expect(fromHomeOpened(homeOpened('UALICE', { tab: 'messages' }))).toBeUndefined();
    expect(fromHomeOpened(eventEnvelope({ type: 'app_home_opened', tab: 'home' }))).toBeUndefined();
  });

  it('reads a view submission: who, which view, its state and metadata', () => {
    const body = viewSubmission('UALICE', 'V0001', { category: 'vpn', title: 'x' }, { lang: 'en' });
    expect(fromViewSubmission(body)).toEqual({ teamId: 'T0ACME', userId: 'UALICE', viewId: 'V0001', state: body.view.state, privateMetadata: '{"lang":"en"}' });
    expect(fromViewSubmission({ ...body, user: { name: 'x' } })).toBeUndefined();
    expect(fromViewSubmission({ ...body, view: { ...body.view, id: '' } })).toBeUndefined();
    expect(fromViewSubmission({ ...body, type: 'view_closed' })).toBeUndefined();
  });
});

describe('Slack thread replies under Guichet’s posts', () => {
  const reply = (fields: Record<string, unknown>) =>
    eventEnvelope({ type: 'message', user: 'UAGENT', text: 'I am on it', ts: '9.000005', thread_ts: '9.000001', parent_user_id: BOT_USER, channel: 'C0AGENTS', channel_type: 'channel', ...fields }, { eventId: 'EvThread' });

  it('turns a reply in the thread of a Guichet post (an escalation card) into a channel turn of that thread', () => {
    const result = fromEvent(reply({}), BOT_USER);
    expect(result).toEqual({
      kind: 'turn',
      turn: { deliveryId: 'EvThread', teamId: 'T0ACME', userId: 'UAGENT', text: 'I am on it', place: { kind: 'thread', channel: 'C0AGENTS', threadTs: '9.000001' } },
    });
    if (result.kind !== 'turn') throw new Error('expected a turn');
    expect(toInbound(result.turn, {}).conversation).toEqual({
      externalId: 'C0AGENTS:9.000001',
      kind: 'channel',
      reference: { teamId: 'T0ACME', channel: 'C0AGENTS', threadTs: '9.000001' },
    });
    expect(fromEvent(reply({ channel: 'G0PRIVATE', channel_type: 'group' }), BOT_USER)).toMatchObject({ kind: 'turn' });
    // "Also send to #channel" keeps it a reply in the thread.
    expect(fromEvent(reply({ subtype: 'thread_broadcast' }), BOT_USER)).toMatchObject({ kind: 'turn', turn: { text: 'I am on it' } });
  });

  it.each([
    ['a thread under someone else’s message', { parent_user_id: 'UOTHER' }, 'not-our-thread'],
    ['a channel message outside a thread', { thread_ts: undefined, parent_user_id: undefined }, 'not-direct'],
    ['a thread root', { thread_ts: '9.000005' }, 'not-direct'],
    ['a reply that mentions Guichet (answered as app_mention)', { text: `<@${BOT_USER}> take it` }, 'mention-in-thread'],
    ['a group DM', { channel_type: 'mpim' }, 'not-direct'],
    ['a bot’s reply', { bot_id: 'B0OTHER' }, 'from-a-bot'],
    ['an edited reply', { subtype: 'message_changed' }, 'subtype'],
  ])('ignores %s', (_name, fields, reason) => {
    expect(fromEvent(reply(fields), BOT_USER)).toEqual({ kind: 'ignore', reason });
  });

  it('ignores thread replies while Guichet’s own user id is unknown', () => {
    expect(fromEvent(reply({}))).toEqual({ kind: 'ignore', reason: 'not-our-thread' });
  });
});

describe('Slack /guichet → turns', () => {
  it('turns /guichet <text> into a command turn (answered in the DM), delivery id from the trigger_id', () => {
    expect(fromSlashCommand(slashCommand('UALICE', '  mot de passe oublié ', { triggerId: '123.456', responseUrl: 'https://hooks.slack.com/commands/x' }))).toEqual({
      kind: 'turn',
      turn: { deliveryId: 'command:123.456', teamId: 'T0ACME', userId: 'UALICE', text: 'mot de passe oublié', place: { kind: 'command', channel: 'C0GENERAL', responseUrl: 'https://hooks.slack.com/commands/x' } },
    });
  });

  it('opens the ticket modal on an empty /guichet', () => {
    expect(fromSlashCommand(slashCommand('UALICE', '   ', { triggerId: '9.9', responseUrl: 'https://hooks.slack.com/commands/y' }))).toEqual({
      kind: 'open-modal',
      request: { teamId: 'T0ACME', userId: 'UALICE', triggerId: '9.9', command: { channel: 'C0GENERAL', responseUrl: 'https://hooks.slack.com/commands/y' } },
    });
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
    // Answered in the DM: the command's conversation is the personal one.
    if (command.kind !== 'turn') throw new Error('expected a turn');
    expect(toInbound(command.turn, {}, 'DALICE').conversation).toEqual({ externalId: 'DALICE', kind: 'personal', reference: { teamId: 'T0ACME', channel: 'DALICE' } });
    expect(() => toInbound(command.turn, {})).toThrow(/no personal channel/);
  });
});
