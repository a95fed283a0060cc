/** An AgentChannelPoster that records posts, updates and thread replies; `makePost` names each new post. */
import type { Channel, OutboundMessage } from '../../src/core/messages.ts';
import type { AgentChannelPoster } from '../../src/core/ports.ts';

export interface Posted {
  kind: 'post' | 'update' | 'reply';
  post: unknown;
  messages: OutboundMessage[];
}

export class RecordingPoster implements AgentChannelPoster {
  readonly posted: Posted[] = [];
  /** While set, new posts wait for it (a platform slow to answer). */
  private held: Promise<void> | undefined;

  constructor(
    readonly channel: Channel,
    private readonly makePost: (address: unknown, index: number) => unknown,
  ) {}

  /** Holds every new post until the returned function is called. */
  hold(): () => void {
    let release!: () => void;
    this.held = new Promise<void>((resolve) => (release = resolve));
    return () => {
      this.held = undefined;
      release();
    };
  }

  async post(address: unknown, message: OutboundMessage): Promise<unknown> {
    await this.held;
    const post = this.makePost(address, this.posted.filter((p) => p.kind === 'post').length + 1);
    this.posted.push({ kind: 'post', post, messages: [message] });
    return post;
  }

  async update(post: unknown, message: OutboundMessage): Promise<void> {
    this.posted.push({ kind: 'update', post, messages: [message] });
  }

  async reply(post: unknown, messages: OutboundMessage[]): Promise<void> {
    this.posted.push({ kind: 'reply', post, messages });
  }
}
