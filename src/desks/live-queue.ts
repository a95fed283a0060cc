/**
 * The live queue of users waiting for a person: their position and expected wait (wait.ts), told
 * again when it changes (someone ahead was taken or left), and what agents see per desk.
 */
import type { Lang } from '../core/lang.ts';
import type { Clock } from '../core/ports.ts';
import { personName } from '../core/ticket-texts.ts';
import { isOpen, nextOpening } from './hours.ts';
import type { QueueEntry, QueueStore } from './ports.ts';
import type { DeskOrganisation } from './schema.ts';
import { sayDesks, waitText } from './say.ts';
import { expectedWaitMinutes, handlingMinutes, positionOf, queueOrder } from './wait.ts';

export interface Standing {
  position: number;
  /** W, minutes from now (includes the time until the desk opens). */
  waitMinutes: number;
  open: boolean;
  opensAt: Date;
  /** n and h the estimate used (shown in tests and the docs' example). */
  agents: number;
  handlingMinutes: number;
}

export interface LiveQueueDeps {
  organisation(): DeskOrganisation;
  clock: Clock;
  store: QueueStore;
  /** Agents of the group marked available now. */
  presentAgents(groupId: string): Promise<number>;
  /** Agents in the group at all (who will be there when the desk opens). */
  members(groupId: string): number;
  /** Tells a waiting user something (a new message). */
  tell(userId: string, text: string): Promise<void>;
  /** Tells a waiting user their new position in one message edited in place (Slack, Teams); resolves with the message's handle for the next time. */
  tellInPlace?(userId: string, text: string, previous: unknown): Promise<unknown>;
  onError?: (err: unknown, context: string) => void;
}

export interface QueueLine extends QueueEntry {
  position: number;
  waitedMinutes: number;
}

export class LiveQueue {
  constructor(private readonly deps: LiveQueueDeps) {}

  /** Where ticket `number` stands now; undefined when it is not waiting. */
  async standing(number: number): Promise<Standing | undefined> {
    const all = await this.deps.store.waiting();
    const me = all.find((e) => e.number === number);
    const position = positionOf(all, number);
    if (!me || position === undefined) return undefined;
    return this.estimate(me, position);
  }

  private async estimate(entry: QueueEntry, position: number): Promise<Standing> {
    const org = this.deps.organisation();
    const desk = org.desks.find((d) => d.id === entry.deskId) ?? org.desks.find((d) => d.id === org.defaultDesk)!;
    const now = this.deps.clock.now();
    const open = isOpen(org, desk, now);
    const opensAt = nextOpening(org, desk, now);
    const agents = open ? await this.deps.presentAgents(entry.groupId) : this.deps.members(entry.groupId);
    const h = handlingMinutes(await this.deps.store.recentHandling(entry.groupId, org.handlingSamples), org.defaultHandlingMinutes);
    const minutesUntilOpen = (opensAt.getTime() - now.getTime()) / 60_000;
    return { position, open, opensAt, agents, handlingMinutes: h, waitMinutes: expectedWaitMinutes({ position, agents, handlingMinutes: h, minutesUntilOpen }) };
  }

  /** Tells everyone still waiting in the desk and group whose position changed. */
  async retell(deskId: string, groupId: string): Promise<void> {
    const all = await this.deps.store.waiting();
    for (const entry of all.filter((e) => e.deskId === deskId && e.groupId === groupId)) {
      const position = positionOf(all, entry.number)!;
      if (entry.toldPosition === position) continue;
      const { waitMinutes } = await this.estimate(entry, position);
      await this.deps.store.update({ ...entry, toldPosition: position });
      const text = sayDesks(entry.lang, 'positionUpdate', { number: entry.number, position, wait: waitText(waitMinutes, entry.lang) });
      try {
        if (!this.deps.tellInPlace) await this.deps.tell(entry.userId, text);
        else await this.deps.store.update({ ...entry, toldPosition: position, messageRef: await this.deps.tellInPlace(entry.userId, text, entry.messageRef) });
      } catch (err) {
        this.deps.onError?.(err, `queue position of #${entry.number}`);
      }
    }
  }

  /** The waiting users of `deskIds` (all desks when absent), per desk in queue order, with how long they have waited. */
  async lines(deskIds?: string[]): Promise<Map<string, QueueLine[]>> {
    const all = await this.deps.store.waiting();
    const now = this.deps.clock.now().getTime();
    const byDesk = new Map<string, QueueLine[]>();
    for (const e of [...all].sort(queueOrder)) {
      if (deskIds && !deskIds.includes(e.deskId)) continue;
      const line = { ...e, position: positionOf(all, e.number)!, waitedMinutes: Math.floor((now - e.queuedAt.getTime()) / 60_000) };
      byDesk.set(e.deskId, [...(byDesk.get(e.deskId) ?? []), line]);
    }
    return byDesk;
  }

  /** Per desk (its name), in queue order: position, ticket, priority, requester, minutes waited — the console's view. */
  async waiting(): Promise<{ desk: string; lines: { position: number; number: number; priority: number; user: string; waitedMinutes: number }[] }[]> {
    const org = this.deps.organisation();
    return [...(await this.lines())].map(([deskId, lines]) => ({
      desk: org.desks.find((d) => d.id === deskId)?.name ?? deskId,
      lines: lines.map((l) => ({ position: l.position, number: l.number, priority: l.priority, user: l.userName, waitedMinutes: l.waitedMinutes })),
    }));
  }

  /** The agents' view of the queues as text. */
  async describe(lang: Lang, deskIds?: string[]): Promise<string> {
    const org = this.deps.organisation();
    const lines = await this.lines(deskIds);
    if (lines.size === 0) return sayDesks(lang, 'queueEmpty');
    return [...lines]
      .map(([deskId, waiting]) => {
        const desk = org.desks.find((d) => d.id === deskId)?.name ?? deskId;
        const rows = waiting.map((w) => sayDesks(lang, 'queueLine', { position: w.position, number: w.number, priority: w.priority, user: personName({ displayName: w.userName }, lang), waited: w.waitedMinutes }));
        return [sayDesks(lang, 'queueTitle', { desk, count: waiting.length }), ...rows].join('\n');
      })
      .join('\n\n');
  }
}
