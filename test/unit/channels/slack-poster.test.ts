/**
 * The Slack AgentChannelPoster (poster.ts) over a recording sender: what it posts where, the post
 * reference it returns, update and thread replies from that reference, the thread key the handoff
 * stores, and refusal of bad addresses and references (GuichetError, nothing sent).
 */
import { describe, expect, it } from 'vitest';
import { createSlackAgentPoster, slackThreadKey } from '../../../src/channels/slack/poster.ts';
import type { SlackMessage } from '../../../src/channels/slack/outbound.ts';
import type { SlackSender, SlackTarget } from '../../../src/channels/slack/sender.ts';
import { isGuichetError } from '../../../src/core/errors.ts';
import type { OutboundMessage } from '../../../src/core/messages.ts';
import { sampleMessages } from '../../helpers/samples.ts';

function recordingSender() {
  const posts: { target: SlackTarget; messages: SlackMessage[] }[] = [];
  const updates: { channel: string; ts: string; messages: OutboundMessage[] }[] = [];
  const sender: SlackSender = {
    channel: 'slack',
    send: async () => {},
    post: async (target, messages) => {
      posts.push({ target, messages });
      return messages.map((_, i) => `1700000000.00000${posts.length}${i}`);
    },
    update: async (channel, ts, messages) => {
      updates.push({ channel, ts, messages });
    },
    respond: async () => {},
  };
  return { sender, posts, updates };
}

describe('Slack agents’ channel poster', () => {
  const { escalation } = sampleMessages();

  it('posts the escalation card as Block Kit and returns {teamId, channelId, ts}', async () => {
    const { sender, posts } = recordingSender();
    const poster = createSlackAgentPoster(sender);
    expect(poster.channel).toBe('slack');
    const post = await poster.post({ teamId: 'T0ACME', channelId: 'C0AGENTS' }, escalation);
    expect(post).toEqual({ teamId: 'T0ACME', channelId: 'C0AGENTS', ts: '1700000000.0000010' });
    expect(posts).toHaveLength(1);
    expect(posts[0]!.target).toEqual({ channel: 'C0AGENTS' });
    expect(posts[0]!.messages[0]!.blocks?.[0]).toMatchObject({ type: 'header' });
    expect(slackThreadKey(post)).toBe('slack|T0ACME|C0AGENTS:1700000000.0000010');
  });

  it('updates the card in place and replies in its thread', async () => {
    const { sender, posts, updates } = recordingSender();
    const poster = createSlackAgentPoster(sender);
    const ref = { teamId: 'T0ACME', channelId: 'C0AGENTS', ts: '1700000000.000042' };
    await poster.update(ref, escalation);
    expect(updates).toEqual([{ channel: 'C0AGENTS', ts: '1700000000.000042', messages: [escalation] }]);
    await poster.reply(ref, [{ type: 'text', text: 'Alice says: <!channel> help' }, { type: 'text', text: 'second' }]);
    expect(posts).toEqual([
      { target: { channel: 'C0AGENTS', threadTs: '1700000000.000042' }, messages: [{ text: 'Alice says: &lt;!channel&gt; help' }, { text: 'second' }] },
    ]);
  });

  it.each([
    ['no channel id', { teamId: 'T0ACME' }],
    ['a channel id that is not a Slack id', { teamId: 'T0ACME', channelId: '#agents' }],
    ['a Teams address', { serviceUrl: 'https://smba.example', tenantId: 't', channelId: '19:abc@thread.tacv2' }],
    ['nothing', undefined],
  ])('refuses an address with %s, posting nothing', async (_name, address) => {
    const { sender, posts } = recordingSender();
    const error = await createSlackAgentPoster(sender).post(address, escalation).catch((e: unknown) => e);
    expect(isGuichetError(error) && error.code).toBe('slack.invalid-reference');
    expect(posts).toEqual([]);
  });

  it('refuses a post reference without a valid ts, and gives no thread key for it', async () => {
    const { sender, posts, updates } = recordingSender();
    const poster = createSlackAgentPoster(sender);
    for (const bad of [{ teamId: 'T0ACME', channelId: 'C0AGENTS' }, { teamId: 'T0ACME', channelId: 'C0AGENTS', ts: 'now' }, 'C0AGENTS']) {
      expect(isGuichetError(await poster.update(bad, escalation).catch((e: unknown) => e))).toBe(true);
      expect(isGuichetError(await poster.reply(bad, [escalation]).catch((e: unknown) => e))).toBe(true);
      expect(slackThreadKey(bad)).toBeNull();
    }
    expect(posts).toEqual([]);
    expect(updates).toEqual([]);
  });
});
