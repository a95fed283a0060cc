/**
 * Notices that respect attention: each event is one short message; a person who got one within the
 * digest window gets the next ones grouped into one digest when the window ends; non-urgent ones wait
 * for the end of quiet hours. A notice sent at once is its outbox job's step (incident-outbox.ts): a
 * failure is thrown to the job, which retries that person. With `hold` (a database and a job queue),
 * a held notice is stored with its own delayed "incident.digest" job (due at the end of the window
 * or of quiet hours), which sends it with the others held for that person as one digest, once,
 * whichever instance runs it — a restart loses none. With `windows` too, when each person was last
 * told and until when their held notices wait are stored, not remembered: every instance, and one
 * restarted, holds their next notice the same way. Without them (memory stores, tests), held
 * notices and the windows live in this instance's memory, and a digest that fails is reported
 * (`onError`).
 */
import { DateTime } from 'luxon';
import type { Lang } from '../core/lang.ts';
import type { Choice, OutboundMessage } from '../core/messages.ts';
import type { Clock } from '../core/ports.ts';
import type { NoticeWindow } from './ports.ts';
import { say } from '../texts/index.ts';

/** One event for one person: a text, or a text with buttons when they have something to do. */
export interface Notice {
  urgent: boolean;
  build(lang: Lang): { text: string; choices?: Choice[] };
  /** What it says as data (incident-outbox.ts NoticeData): a notice with data can be held durably. */
  data?: Record<string, unknown>;
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
  /** Holds `notice` durably until `due` (its digest job sends it); `key` makes it once (the incident job and the person). */
  hold?(userId: string, notice: Notice, due: Date, key: string): Promise<void>;
  /** With `hold`: each person's window as stored (`hold` records when their held notices go; `told` when they were told). */
  windows?: {
    get(userId: string): Promise<NoticeWindow>;
    told(userId: string, at: Date): Promise<void>;
  };
}

interface Held {
  notices: Notice[];
  /** When they may go. */
  due: number;
  /** Held durably (`hold`): their digest jobs send them, this entry only keeps the window. */
  durable: boolean;
}

export class Notices {
  private readonly lastSent = new Map<string, number>();
  private readonly held = new Map<string, Held>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly deps: NoticeDeps) {}

  /**
   * Sends now (a failure thrown), or holds for the digest or the end of quiet hours: durably when
   * `key` is given (the incident job and the person) and `hold` is set, else in memory.
   */
  async post(userId: string, notice: Notice, key?: string): Promise<void> {
    if (this.deps.hold && this.deps.windows && key && notice.data) return this.postStored(userId, notice, key);
    const now = this.deps.clock.now().getTime();
    const waiting = this.held.get(userId);
    const durable = Boolean(this.deps.hold && key && notice.data);
    if (waiting) {
      // An urgent notice does not wait for quiet hours: the digest goes at the end of the window.
      if (notice.urgent) waiting.due = Math.min(waiting.due, this.windowEnd(userId, now));
      if (durable) await this.deps.hold!(userId, notice, new Date(waiting.due), key!);
      else if (waiting.durable) return this.send(userId, [notice], now); // no data to store (never in practice)
      if (durable === waiting.durable) waiting.notices.push(notice);
      return;
    }
    const quietEnd = notice.urgent ? undefined : this.quietEnd(now);
    const windowEnd = this.windowEnd(userId, now);
    if (quietEnd === undefined && windowEnd <= now) return this.send(userId, [notice], now);
    const due = Math.max(quietEnd ?? 0, windowEnd);
    if (durable) await this.deps.hold!(userId, notice, new Date(due), key!);
    this.held.set(userId, { notices: [notice], due, durable });
  }

  /**
   * `post` with the person's window as stored (`windows`), the same rules as in memory: notices
   * already waiting for them (held until later) — this one joins them (an urgent one brings them to
   * the window's end, not quiet hours'); else the window runs from when they were last told or their
   * last digest was due, and the notice goes at once once it ended (outside quiet hours), or is held.
   */
  private async postStored(userId: string, notice: Notice, key: string): Promise<void> {
    const { hold, windows, digestSeconds } = this.deps;
    const now = this.deps.clock.now().getTime();
    const { toldAt, heldUntil } = await windows!.get(userId);
    const since = Math.max(toldAt?.getTime() ?? -Infinity, heldUntil && heldUntil.getTime() <= now ? heldUntil.getTime() : -Infinity);
    const windowEnd = Number.isFinite(since) ? since + digestSeconds * 1000 : now;
    if (heldUntil && heldUntil.getTime() > now) {
      const due = notice.urgent ? Math.min(heldUntil.getTime(), Math.max(windowEnd, now)) : heldUntil.getTime();
      return hold!(userId, notice, new Date(due), key);
    }
    const quietEnd = notice.urgent ? undefined : this.quietEnd(now);
    if (quietEnd === undefined && windowEnd <= now) {
      // Recorded first: a send that fails is retried by its job, and held then (the window started).
      await windows!.told(userId, new Date(now));
      return this.deps.send(userId, (lang) => [digest([notice], lang)]);
    }
    return hold!(userId, notice, new Date(Math.max(quietEnd ?? 0, windowEnd)), key);
  }

  /** Sends what is due (called by the timer; tests call it after moving the clock). */
  async flushDue(): Promise<number> {
    const now = this.deps.clock.now().getTime();
    let sent = 0;
    for (const [userId, held] of [...this.held]) {
      if (held.due > now) continue;
      if (held.durable) {
        // Their digest jobs send them (here or elsewhere): the window restarts from then.
        this.held.delete(userId);
        this.lastSent.set(userId, now);
        continue;
      }
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

  /**
   * Sends `notices` held durably as one message (a digest job's step), unless quiet hours hold them
   * still: the end of quiet hours then (nothing sent).
   */
  async sendHeld(userId: string, notices: Notice[]): Promise<Date | undefined> {
    const now = this.deps.clock.now().getTime();
    const quietEnd = notices.some((n) => n.urgent) ? undefined : this.quietEnd(now);
    if (quietEnd !== undefined) return new Date(quietEnd);
    await this.deps.windows?.told(userId, new Date(now));
    await this.send(userId, notices, now);
    return undefined;
  }

  /** How many people have notices waiting in this instance's memory (none when held durably with `windows`). */
  get waiting(): number {
    return this.held.size;
  }

  /** How many notices wait for this person in this instance's memory (see `waiting`). */
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
