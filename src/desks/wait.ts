/**
 * A waiting user's place in their desk's queue and the expected wait, as documented in
 * docs/desks.md ("Expected wait"):
 *
 *   p = 1 + entries ahead in the same desk and group (higher priority first, then earlier)
 *   n = agents present in the group (at least 1; out of hours: the group's members, at least 1)
 *   h = mean of the group's recent handling times, minutes (defaultHandlingMinutes when none)
 *   W = ⌈p × h / n⌉ minutes while the desk is open;
 *   W = (minutes until the desk opens) + ⌈p × h / n⌉ while it is closed.
 */
export interface Waiting {
  number: number;
  deskId: string;
  groupId: string;
  priority: number;
  queuedAt: Date;
}

/** Queue order: priority 1 before 2…, then first come, first served; the ticket number breaks ties. */
export function queueOrder(a: Waiting, b: Waiting): number {
  return a.priority - b.priority || a.queuedAt.getTime() - b.queuedAt.getTime() || a.number - b.number;
}

/** 1-based position of ticket `number` among `entries` of its desk and group; undefined when not waiting. */
export function positionOf(entries: Waiting[], number: number): number | undefined {
  const me = entries.find((e) => e.number === number);
  if (!me) return undefined;
  return entries.filter((e) => e.deskId === me.deskId && e.groupId === me.groupId && queueOrder(e, me) < 0).length + 1;
}

/** h: the mean of the recent handling times (minutes), or the default when none was measured. */
export function handlingMinutes(recent: number[], fallback: number): number {
  const valid = recent.filter((m) => Number.isFinite(m) && m > 0);
  return valid.length === 0 ? fallback : valid.reduce((a, b) => a + b, 0) / valid.length;
}

export interface WaitInputs {
  position: number;
  /** n: agents who can answer (present while open; members out of hours). */
  agents: number;
  /** h, minutes. */
  handlingMinutes: number;
  /** Minutes until the desk opens; 0 when open. */
  minutesUntilOpen: number;
}

/** W, whole minutes (see the formula above). */
export function expectedWaitMinutes({ position, agents, handlingMinutes: h, minutesUntilOpen }: WaitInputs): number {
  const n = Math.max(1, agents);
  return Math.max(0, Math.ceil(minutesUntilOpen)) + Math.ceil((Math.max(1, position) * h) / n);
}
