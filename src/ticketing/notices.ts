/**
 * Notices that respect attention: each event is one short message; a person who got one within the
 * digest window gets the next ones grouped into one digest when the window ends; non-urgent ones wait
 * for the end of quiet hours. A notice sent at once is its outbox job's step (incident-outbox.ts): a
 * failure is thrown to the job, which retries that person. Held notices live in memory (a restart
 * sends nothing twice, but may drop a digest still waiting: the status page and the tickets keep
 * the facts); a digest that fails is reported (`onError`).
 */
import { DateTime } from 'luxon';
import type { Lang } from '../core/lang.ts';
import type { Choice, OutboundMessage } from '../core/messages.ts';
import type { Clock } from '../core/ports.ts';
import { say } from '../texts/index.ts';

/** One event for one person: a text, or a text with buttons when they have something to do. */
export interface Notice {
  urgent: boolean;
  build(lang: Lang): { text: string; choices?: Choice[] };
}

export interface NoticeDeps {
  clock: Clock;
  /** Sends messages built in the person's language; a message no channel took is thrown. */
  send(userId: string, build: (lang: Lang) => OutboundMessage[]): Promise<void>;
  /** A digest sent later (flushDue) that failed. */
  onError?(err: unknown, userId: string): void;
  digestSeconds: number;
  quietHours?: { from: string; to: string };
  timeZone(): string;
}

interface Held {
  notices: Notice[];
  /** When they may go. */
  due: number;
}

export class Notices {
  private readonly lastSent = new Map<string, number>();
  private readonly held = new Map<string, Held>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly deps: NoticeDeps) {}

  /** Sends now (a failure thrown), or holds for the digest or the end of quiet hours. */
  async post(userId: string, notice: Notice): Promise<void> {
    const now = this.deps.clock.now().getTime();
    const waiting = this.held.get(userId);
    if (waiting) {
      waiting.notices.push(notice);
      // An urgent notice does not wait for quiet hours: the digest goes at the end of the window.
      if (notice.urgent) waiting.due = Math.min(waiting.due, this.windowEnd(userId, now));
      return;
    }
    const quietEnd = notice.urgent ? undefined : this.quietEnd(now);
    const windowEnd = this.windowEnd(userId, now);
    if (quietEnd === undefined && windowEnd <= now) return this.send(userId, [notice], now);
    this.held.set(userId, { notices: [notice], due: Math.max(quietEnd ?? 0, windowEnd) });
  }

  /** Sends what is due (called by the timer; tests call it after moving the clock). */
  async flushDue(): Promise<number> {
    const now = this.deps.clock.now().getTime();
    let sent = 0;
    for (const [userId, held] of [...this.held]) {
      if (held.due > now) continue;
      // Still quiet (hours started while a digest waited) and nothing urgent: wait again.
      const quietEnd = held.notices.some((n) => n.urgent) ? undefined : this.quietEnd(now);
      if (quietEnd !== undefined) {
        held.due = quietEnd;
        continue;
      }
      this.held.delete(userId);
      try {
        await this.send(userId, held.notices, now);
        sent += 1;
      } catch (err) {
        this.deps.onError?.(err, userId);
      }
    }
    return sent;
  }

  /** How many people have notices waiting. */
  get waiting(): number {
    return this.held.size;
  }

  /** How many notices wait for this person. */
  heldFor(userId: string): number {
    return this.held.get(userId)?.notices.length ?? 0;
  }

  start(intervalMs = 10_000): void {
    this.timer ??= setInterval(() => void this.flushDue(), intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private windowEnd(userId: string, now: number): number {
    const last = this.lastSent.get(userId);
    return last === undefined ? now : last + this.deps.digestSeconds * 1000;
  }

  /** The end of quiet hours when `now` is inside them, else undefined. */
  private quietEnd(now: number): number | undefined {
    const quiet = this.deps.quietHours;
    if (!quiet) return undefined;
    const local = DateTime.fromMillis(now, { zone: this.deps.timeZone() });
    const [fh, fm] = quiet.from.split(':').map(Number) as [number, number];
    const [th, tm] = quiet.to.split(':').map(Number) as [number, number];
    const minutes = local.hour * 60 + local.minute;
    const from = fh * 60 + fm;
    const to = th * 60 + tm;
    const inside = from <= to ? minutes >= from && minutes < to : minutes >= from || minutes < to;
    if (!inside) return undefined;
    let end = local.set({ hour: th, minute: tm, second: 0, millisecond: 0 });
    if (end.toMillis() <= now) end = end.plus({ days: 1 });
    return end.toMillis();
  }

  private async send(userId: string, notices: Notice[], now: number): Promise<void> {
    this.lastSent.set(userId, now);
    await this.deps.send(userId, (lang) => [digest(notices, lang)]);
  }
}

/** One notice as it is; several as one message: a short list, with the buttons of those that need an action. */
export function digest(notices: Notice[], lang: Lang): OutboundMessage {
  const built = notices.map((n) => n.build(lang));
  const choices: Choice[] = [];
  for (const b of built) for (const c of b.choices ?? []) if (!choices.some((x) => x.value === c.value)) choices.push(c);
  const text = built.length === 1 ? built[0]!.text : [say(lang, 'incidents.digest', { count: built.length }), ...built.map((b) => `• ${b.text}`)].join('\n');
  return choices.length > 0 ? { type: 'choices', text, choices } : { type: 'text', text };
}
