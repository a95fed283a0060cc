/**
 * What a platform channel hands the server: its HTTP entry point (Teams at /api/messages, Slack at
 * /slack/events). Senders and agents' channel posters are ports (ports.ts). The handler's type is
 * opaque here — the core never looks at HTTP — and any Express-style handler fits it.
 */
import type { Channel } from './messages.ts';
import type { AgentChannelPoster, ChannelSender } from './ports.ts';

/** An Express-style request handler (`(req, res, next)`), kept opaque to the core. */
export type HttpHandler = (req: never, res: never, next: never) => unknown;

/**
 * A platform channel served by the app, mounted on its own path with its own body parsing. A channel
 * names its concrete handler type (`ChannelMount<express.Router>`); the server only needs `HttpHandler`.
 */
export interface ChannelMount<H extends HttpHandler = HttpHandler> {
  name: string;
  path: string;
  handler: H;
}


/** What a channel sends on its own initiative: proactive messages, cards in agents' channels. */
export interface OutboundChannel {
  sender?: ChannelSender;
  poster?: AgentChannelPoster;
  /** How the platform names the thread of a post it made ("channel|tenantId|externalId"), for the relay. */
  threadKeyOf?(post: unknown): string | null;
}

/**
 * The outbound sides of the channels, by platform. The core is built before the channels (they are
 * given its turn), so the notifier and the handoff look senders and posters up here when they send;
 * the composition root adds each channel as it builds it, before the server accepts any request.
 */
export class OutboundChannels {
  private readonly byChannel = new Map<Channel, OutboundChannel>();

  constructor(channels: readonly OutboundChannel[] = []) {
    for (const channel of channels) this.add(channel);
  }

  /** Registers a channel's outbound side (merged with what the same platform registered before). */
  add(channel: OutboundChannel): this {
    const name = channel.sender?.channel ?? channel.poster?.channel;
    if (name) this.byChannel.set(name, { ...this.byChannel.get(name), ...channel });
    return this;
  }

  sender(channel: Channel): ChannelSender | undefined {
    return this.byChannel.get(channel)?.sender;
  }

  poster(channel: Channel): AgentChannelPoster | undefined {
    return this.byChannel.get(channel)?.poster;
  }

  threadKeyOf(platform: Channel, post: unknown): string | null {
    return this.byChannel.get(platform)?.threadKeyOf?.(post) ?? null;
  }
}
