/**
 * Telling of SLA firings (src/ticketing/sla-tell.ts): a batch's job tells each person ONE message in
 * their language — a digest with a line per ticket, or a ticket's own message and card when it is
 * their only one —, each person one step named without their id, and a retry re-sends only to
 * those it did not reach; a tick's job come due leaves its telling to the digest jobs its fallback
 * writes with its claim.
 */
import { describe, expect, it } from 'vitest';
import type { JobContext, JobRecord } from '../../../src/core/jobs.ts';
import type { Lang } from '../../../src/core/lang.ts';
import type { OutboundMessage } from '../../../src/core/messages.ts';
import type { DeskInternals } from '../../../src/ticketing/desk/internals.ts';
import type { TicketRecord } from '../../../src/ticketing/ports.ts';
import type { SlaFiring } from '../../../src/ticketing/sla-decide.ts';
import { tell, tellBatchJob } from '../../../src/ticketing/sla-tell.ts';

const LANGS: Record<string, Lang> = { ana: 'fr', ben: 'en', max: 'en', req: 'fr' };
const due = new Date('2026-11-23T10:00:00Z');

/** The desk's internals as telling uses them: the network group (Ana and Ben), its manager Max. */
function world(down: Set<string> = new Set()) {
  const sent: { to: string; messages: OutboundMessage[] }[] = [];
  const changed: number[] = [];
  const desk = {
    repository: { availableMembers: async () => ['ana', 'ben'] },
    groupManager: async () => 'max',
    userByEmail: async () => undefined,
    ticketCard: async (number: number) => (lang: Lang) => [{ type: 'text', text: `card #${number} ${lang}` }],
    deliver: async (to: string, build: (lang: Lang) => OutboundMessage[]) => {
      if (down.has(to)) throw new Error(`${to} reached no channel`);
      sent.push({ to, messages: build(LANGS[to]!) });
    },
    changedOrThrow: async (number: number) => void changed.push(number),
  } as unknown as DeskInternals;
  return { deps: { desk, timeZone: 'Europe/Paris' }, sent, changed };
}

const ticket = (number: number): TicketRecord => ({ id: `t${number}`, number, title: `Printer ${number}`, requesterId: 'req', assigneeId: null, groupId: 'network' }) as unknown as TicketRecord;
const breach = (number: number): SlaFiring => ({ kind: 'sla-breach', target: 'response', due, dedupeKey: `sla-breach:response:P4:${number}` }) as unknown as SlaFiring;

/** A job context that records its steps (kept across runs, as the outbox row keeps them). */
function steps(done: Set<string>): Pick<JobContext, 'step'> {
  return {
    async step(name, work) {
      if (done.has(name)) return;
      await work();
      done.add(name);
    },
  };
}

const text = (m: OutboundMessage[]) => m.map((x) => (x.type === 'text' ? x.text : x.type)).join('\n');

describe('telling a batch of SLA breaches', () => {
  it('tells each person once, in their language, every ticket a line of one digest', async () => {
    const { deps, sent, changed } = world();
    const job = tellBatchJob([1001, 1002, 1003].map((n) => ({ t: ticket(n), firing: breach(n) })), due);
    const done = new Set<string>();
    await tell(deps, job.payload, steps(done));
    expect(sent.map((s) => s.to).sort()).toEqual(['ana', 'ben', 'max']);
    const ana = text(sent.find((s) => s.to === 'ana')!.messages);
    expect(ana.split('\n')[0]).toBe('⏰ Délais SLA : 3 tickets à voir.');
    for (const n of [1001, 1002, 1003]) expect(ana).toContain(`• 🚨 Ticket #${n} (Printer ${n}) : délai de`);
    expect(text(sent.find((s) => s.to === 'ben')!.messages)).toMatch(/^⏰ SLA targets: 3 tickets to look at\.\n• 🚨 Ticket #1001 \(Printer 1001\): response target breached/);
    expect(changed).toEqual([1001, 1002, 1003]);
    // Steps name a digest of the person, never their id.
    expect([...done].every((s) => !/ana|ben|max/.test(s))).toBe(true);
    expect(done.size).toBe(4);
  });

  it('sends a single ticket with its card, as before', async () => {
    const { deps, sent } = world();
    await tell(deps, tellBatchJob([{ t: ticket(1001), firing: breach(1001) }], due).payload, steps(new Set()));
    const [line, card] = text(sent.find((s) => s.to === 'ben')!.messages).split('\n');
    expect(line).toMatch(/^🚨 Ticket #1001 \(Printer 1001\): response target breached \(due .+\)\.$/);
    expect(card).toBe('card #1001 en');
  });

  it('fails the job for the person it did not reach, and the retry tells only them', async () => {
    const down = new Set(['ben']);
    const { deps, sent } = world(down);
    const job = tellBatchJob([1001, 1002].map((n) => ({ t: ticket(n), firing: breach(n) })), due);
    const done = new Set<string>();
    await expect(tell(deps, job.payload, steps(done))).rejects.toThrow('ben reached no channel');
    expect(sent.map((s) => s.to).sort()).toEqual(['ana', 'max']);
    down.clear();
    await tell(deps, job.payload, steps(done));
    expect(sent.map((s) => s.to).sort()).toEqual(['ana', 'ben', 'max']);
  });
});

describe("a tick's tell job come due", () => {
  const tickJob = (progress: string[]) => {
    const job = tellBatchJob([1001, 1002].map((n) => ({ t: ticket(n), firing: breach(n) })), due, due.toISOString());
    return { ...job, id: 1, status: 'pending', attempts: 0, runAt: job.runAt!, lockedBy: null, progress, lastError: null, createdAt: due, doneAt: null } as JobRecord;
  };

  it('tells nobody itself: its fallback writes its claim and its digest jobs in one unit of work', async () => {
    const { deps, sent, changed } = world();
    const fallbacks: string[] = [];
    const job = tickJob([]);
    await tell({ ...deps, fallback: async (ctx) => void fallbacks.push(ctx.job.key) }, job.payload, { ...steps(new Set()), job });
    expect(fallbacks).toEqual([job.key]);
    expect(sent).toEqual([]);
    expect(changed).toEqual([]);
  });

  it('tells its batch itself when it recorded its claim as a step (written before the fallback)', async () => {
    const { deps, sent } = world();
    const job = tickJob(['claimed']);
    await tell({ ...deps, fallback: async () => expect.fail('no fallback after a recorded claim') }, job.payload, { ...steps(new Set()), job });
    expect(sent.map((s) => s.to).sort()).toEqual(['ana', 'ben', 'max']);
  });
});

describe('a long digest', () => {
  it('lists the first 20 tickets and counts the others, in the person\'s language', async () => {
    const { deps, sent } = world();
    const job = tellBatchJob(Array.from({ length: 25 }, (_, i) => ({ t: ticket(2000 + i), firing: breach(2000 + i) })), due);
    await tell(deps, job.payload, steps(new Set()));
    const ana = text(sent.find((s) => s.to === 'ana')!.messages).split('\n');
    expect(ana[0]).toBe('⏰ Délais SLA : 25 tickets à voir.');
    expect(ana.filter((l) => l.startsWith('• '))).toHaveLength(20);
    expect(ana.at(-1)).toBe('… et 5 autres : « statut <numéro> » pour chacun, ou la file de votre groupe.');
    expect(text(sent.find((s) => s.to === 'ben')!.messages).split('\n').at(-1)).toBe('… and 5 more: "status <number>" for each, or your group\'s queue.');
  });
});
