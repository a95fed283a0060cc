import type { Activity } from 'botbuilder';
import { describe, expect, it } from 'vitest';
import { tenantOf, toInbound } from '../../../src/channels/teams/inbound.ts';

const BOT = { id: '28:bot', name: 'Guichet' };

function activity(fields: Record<string, unknown> = {}): Activity {
  return {
    type: 'message',
    id: '1700000000001',
    channelId: 'msteams',
    serviceUrl: 'https://smba.trafficmanager.net/emea/',
    from: { id: '29:user', aadObjectId: 'aad-user', name: 'Alice Martin' },
    recipient: BOT,
    conversation: { id: 'a:personal', conversationType: 'personal', tenantId: 'tenant-1' },
    locale: 'fr-FR',
    text: 'bonjour',
    ...fields,
  } as unknown as Activity;
}

const mention = { type: 'mention', text: '<at>Guichet</at>', mentioned: BOT };
const group = { id: '19:chat@thread.v2', conversationType: 'groupChat', tenantId: 'tenant-1', isGroup: true };
const channel = { id: '19:c@thread.tacv2;messageid=1', conversationType: 'channel', tenantId: 'tenant-1', isGroup: true };

describe('toInbound', () => {
  it('keeps a file sent in a personal chat and a pasted image as links, not the card or the HTML copy', () => {
    const result = toInbound(
      activity({
        text: 'voici l’erreur',
        attachments: [
          {
            contentType: 'application/vnd.microsoft.teams.file.download.info',
            contentUrl: 'https://contoso-my.sharepoint.com/personal/alice/Documents/Microsoft Teams Chat Files/vpn.log',
            name: 'vpn.log',
            content: { downloadUrl: 'https://contoso-my.sharepoint.com/download?token=secret', uniqueId: 'u1', fileType: 'log' },
          },
          { contentType: 'image/png', contentUrl: 'https://smba.trafficmanager.net/emea/v3/attachments/0-abc/views/original' },
          { contentType: 'text/html', content: '<p>voici l’erreur</p>' },
          { contentType: 'application/vnd.microsoft.card.adaptive', content: { type: 'AdaptiveCard' } },
          { contentType: 'image/png', contentUrl: 'file:///etc/passwd', name: 'hostile.png' },
        ],
      }),
    );
    expect(result).toMatchObject({
      kind: 'turn',
      message: {
        text: 'voici l’erreur',
        files: [
          { name: 'vpn.log', url: 'https://contoso-my.sharepoint.com/personal/alice/Documents/Microsoft Teams Chat Files/vpn.log', contentType: 'log' },
          { name: 'image.png', url: 'https://smba.trafficmanager.net/emea/v3/attachments/0-abc/views/original', contentType: 'image/png' },
        ],
      },
    });
    // The pre-authenticated download link is never kept.
    expect(JSON.stringify(result)).not.toContain('token=secret');
  });

  it('translates a personal message, keeping the reference for proactive messages', () => {
    const result = toInbound(activity());
    expect(result).toEqual({
      kind: 'turn',
      message: {
        channel: 'teams',
        deliveryId: '1700000000001',
        tenantId: 'tenant-1',
        user: { externalId: 'aad-user', displayName: 'Alice Martin', locale: 'fr-FR' },
        conversation: {
          externalId: 'a:personal',
          kind: 'personal',
          reference: {
            activityId: '1700000000001',
            user: { id: '29:user', aadObjectId: 'aad-user', name: 'Alice Martin' },
            bot: BOT,
            conversation: { id: 'a:personal', conversationType: 'personal', tenantId: 'tenant-1' },
            channelId: 'msteams',
            locale: 'fr-FR',
            serviceUrl: 'https://smba.trafficmanager.net/emea/',
          },
        },
        text: 'bonjour',
      },
    });
  });

  it.each([
    ['personal, no mention needed', { text: ' salut ' }, 'personal', 'salut'],
    ['group chat with the mention removed', { conversation: group, text: '<at>Guichet</at> aide', entities: [mention] }, 'group', 'aide'],
    ['channel with the mention in the middle', { conversation: channel, text: 'dis <at>Guichet</at> aide', entities: [mention] }, 'channel', 'dis  aide'],
    ['personal chat with a mention too', { text: '<at>Guichet</at> hello', entities: [mention] }, 'personal', 'hello'],
  ])('%s', (_name, fields, kind, text) => {
    const result = toInbound(activity(fields));
    expect(result.kind).toBe('turn');
    if (result.kind !== 'turn') return;
    expect(result.message.conversation.kind).toBe(kind);
    expect(result.message.text).toBe(text);
  });

  it.each([
    ['group chat without a mention', { conversation: group, text: 'bonjour' }, 'not-mentioned'],
    ['channel mentioning someone else', { conversation: channel, text: '<at>Bob</at> hi', entities: [{ type: 'mention', text: '<at>Bob</at>', mentioned: { id: '29:bob' } }] }, 'not-mentioned'],
    ['a mention entity without text', { conversation: channel, text: 'hi', entities: [{ type: 'mention', mentioned: BOT }] }, 'not-mentioned'],
    ['conversationUpdate', { type: 'conversationUpdate' }, 'not-a-message'],
    ['no id', { id: undefined }, 'no-id'],
    ['no sender', { from: {} }, 'no-sender'],
    ['no conversation', { conversation: undefined }, 'no-conversation'],
  ])('ignores %s', (_name, fields, reason) => {
    expect(toInbound(activity(fields))).toEqual({ kind: 'ignore', reason });
  });

  it('does not edit the activity it translates', () => {
    const input = activity({ conversation: channel, text: '<at>Guichet</at> aide', entities: [mention] });
    toInbound(input);
    expect(input.text).toBe('<at>Guichet</at> aide');
  });

  it('turns a choice button into the text it stands for, even in a channel without mention', () => {
    const result = toInbound(activity({ conversation: channel, text: undefined, value: { verb: 'choice', value: 'english' } }));
    expect(result).toMatchObject({ kind: 'turn', message: { text: 'english', conversation: { kind: 'channel' } } });
    expect(result.kind === 'turn' && result.message.action).toBeUndefined();
  });

  it('passes any other card verb as an action with its (untrusted) fields', () => {
    const result = toInbound(activity({ text: undefined, value: { verb: 'claim', ticket: 'T-1', role: 'admin' } }));
    expect(result).toMatchObject({ kind: 'turn', message: { action: { verb: 'claim', data: { ticket: 'T-1', role: 'admin' } } } });
    expect(result.kind === 'turn' && result.message.text).toBeUndefined();
  });

  it('treats a value without verb as an ordinary message', () => {
    const result = toInbound(activity({ text: 'hello', value: { foo: 1 } }));
    expect(result).toMatchObject({ kind: 'turn', message: { text: 'hello' } });
  });

  it('falls back to from.id when Teams sends no aadObjectId', () => {
    const result = toInbound(activity({ from: { id: '29:guest', name: 'Guest' } }));
    expect(result.kind === 'turn' && result.message.user.externalId).toBe('29:guest');
  });
});

describe('tenantOf', () => {
  it.each([
    [{ conversation: { id: 'a', tenantId: 't-conv' }, channelData: { tenant: { id: 't-data' } } }, 't-conv'],
    [{ conversation: { id: 'a' }, channelData: { tenant: { id: 't-data' } } }, 't-data'],
    [{ conversation: { id: 'a' } }, ''],
    [{ conversation: { id: 'a' }, channelData: { tenant: { id: 42 } } }, ''],
  ])('%j → "%s"', (fields, tenant) => {
    expect(tenantOf(fields as Partial<Activity>)).toBe(tenant);
  });
});
