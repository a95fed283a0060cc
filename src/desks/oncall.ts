/**
 * Who is on call: each rota hands over every `shiftHours` from `start`, in the order of `people`;
 * an override puts someone else on call for a while. When the person paged does not acknowledge,
 * the next people in the rota's order are paged in turn.
 */
import type { DeskOrganisation, OncallFile, Rota } from './schema.ts';

/** The rota covering `deskId`: the first that names it, else the first that names no desk. */
export function rotaFor(oncall: OncallFile, deskId: string): Rota | undefined {
  return oncall.rotas.find((r) => r.desks.includes(deskId)) ?? oncall.rotas.find((r) => r.desks.length === 0);
}

/** Index in `rota.people` of the scheduled person at `at` (before `start`, the turns run backwards). */
function scheduledIndex(rota: Rota, at: Date): number {
  const shiftMs = rota.shiftHours * 3_600_000;
  const turns = Math.floor((at.getTime() - Date.parse(rota.start)) / shiftMs);
  const n = rota.people.length;
  return ((turns % n) + n) % n;
}

/** The person on call on `rota` at `at`: an override's person, else the scheduled one. */
export function onCallAt(oncall: Pick<OncallFile, 'overrides'>, rota: Rota, at: Date): string {
  const t = at.getTime();
  const override = oncall.overrides.find((o) => o.rota === rota.id && Date.parse(o.from) <= t && t < Date.parse(o.to));
  return override?.person ?? rota.people[scheduledIndex(rota, at)]!;
}

/** Who to page, in order: the person on call, then the rota's next people after the scheduled one (each once). */
export function pagingOrder(oncall: Pick<OncallFile, 'overrides'>, rota: Rota, at: Date): string[] {
  const first = onCallAt(oncall, rota, at);
  const start = scheduledIndex(rota, at);
  const rest = rota.people.map((_, i) => rota.people[(start + 1 + i) % rota.people.length]!);
  return [...new Set([first, rota.people[start]!, ...rest])];
}

/** Whether a ticket pages the on-call person when its desk is closed (config/oncall.yml `pageWhen`). */
export function pages(org: Pick<DeskOrganisation, 'oncall'>, ticket: { priority: number; category: string }): boolean {
  const when = org.oncall.pageWhen;
  return when.priorities.includes(ticket.priority) || when.categories.includes(ticket.category);
}
