/**
 * Per-channel pacing of posts to a platform that rate-limits each channel or conversation (Slack:
 * about one chat.postMessage a second; Teams: about seven operations a second per conversation).
 *
 * Each channel has a lane: jobs run one after another in the order they were queued (so messages
 * arrive in order, and a throttled message never lets a later one overtake it), and each post takes
 * a token from a bucket of `burst` tokens refilled at one per `intervalMs`. A 429 blocks the whole
 * lane until its Retry-After has passed. Lanes of different channels run independently.
 *
 * Per process: several instances each pace their own posts (the platform's 429 and the retry policy
 * cover the rest).
 */

/** Time as this module sees it; tests pass one whose sleep() advances a fake clock at once. */
export interface Timer {
  /** Milliseconds since an arbitrary origin. */
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const systemTimer: Timer = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export interface PacingPolicy {
  /** Milliseconds between posts to one channel once the burst is spent. */
  intervalMs: number;
  /** Posts to one channel allowed back to back. */
  burst: number;
}

interface Lane {
  tail: Promise<void>;
  pending: number;
  tokens: number;
  refilledAt: number;
  blockedUntil: number;
}

/** Lanes kept for idle channels before they are forgotten (an idle lane is equivalent to a new one). */
const MAX_IDLE_LANES = 1_000;

export class ChannelPacer {
  private readonly lanes = new Map<string, Lane>();

  constructor(
    private readonly policy: PacingPolicy,
    private readonly timer: Timer,
  ) {}

  /** Runs `job` after every job queued before it for `channel`; `job` calls `slot()` before each post. */
  run<T>(channel: string, job: (slot: () => Promise<void>) => Promise<T>): Promise<T> {
    const lane = this.lane(channel);
    lane.pending += 1;
    const result = lane.tail.then(() => job(() => this.acquire(lane)));
    lane.tail = result.then(
      () => undefined,
      () => undefined,
    );
    void lane.tail.then(() => {
      lane.pending -= 1;
    });
    return result;
  }

  /** Stops every post to `channel` for `ms` (a 429's Retry-After). */
  block(channel: string, ms: number): void {
    const lane = this.lane(channel);
    lane.blockedUntil = Math.max(lane.blockedUntil, this.timer.now() + ms);
  }

  private async acquire(lane: Lane): Promise<void> {
    for (;;) {
      const now = this.timer.now();
      if (lane.blockedUntil > now) {
        await this.timer.sleep(lane.blockedUntil - now);
        continue;
      }
      lane.tokens = Math.min(this.policy.burst, lane.tokens + (now - lane.refilledAt) / this.policy.intervalMs);
      lane.refilledAt = now;
      if (lane.tokens >= 1) {
        lane.tokens -= 1;
        return;
      }
      await this.timer.sleep(Math.ceil((1 - lane.tokens) * this.policy.intervalMs));
    }
  }

  private lane(channel: string): Lane {
    let lane = this.lanes.get(channel);
    if (!lane) {
      if (this.lanes.size >= MAX_IDLE_LANES) this.forgetIdle();
      lane = { tail: Promise.resolve(), pending: 0, tokens: this.policy.burst, refilledAt: this.timer.now(), blockedUntil: 0 };
      this.lanes.set(channel, lane);
    }
    return lane;
  }

  /** Drops lanes with nothing queued, a full bucket and no block: they would behave like new ones. */
  private forgetIdle(): void {
    const now = this.timer.now();
    for (const [channel, lane] of this.lanes) {
      const full = lane.tokens + (now - lane.refilledAt) / this.policy.intervalMs >= this.policy.burst;
      if (lane.pending === 0 && full && lane.blockedUntil <= now) this.lanes.delete(channel);
    }
  }
}
