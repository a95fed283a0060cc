/**
 * A major incident's notices as outbox jobs (see src/ticketing/desk/outbox.ts): the declaration,
 * an update, the restoration and a suggestion to the desk each write one "incident.tell" job in the
 * unit of work of the change (IncidentStore's declare, addUpdate, resolve, recordSuggestion). No
 * commit, no job; a commit, a job — run by the writer right after the commit (`runNow`), or by
 * the next runner when the writer died in between.
 *
 * A job carries data, never text: who hears it (the audience and the people in a guide, decided
 * when it was declared; the followers and the requesters of linked reports, read when it runs),
 * and the agent's words in both languages. The change's job writes one "incident.notice" job per
 * person, keyed by the incident, the change and the person (written twice, kept once): each is one
 * step, named by a digest of their id, so a retry or another instance never tells a person twice and
 * no job outlives its lease however large the audience. Notices respect attention (notices.ts): a
 * step hands its notice to `Notices`, which sends it at once or holds it for a digest.
 */
import { randomUUID } from 'node:crypto';
import { JobNotReady, ownedJob, personStep, stepsOf, type JobContext, type JobQueue, type JobRecord, type NewJob } from '../core/jobs.ts';
import type { Lang, Localized } from '../core/lang.ts';
import type { OutboundMessage } from '../core/messages.ts';
import type { Viewer } from '../core/tickets.ts';
import { say } from '../texts/index.ts';
import type { Notice, Notices } from './notices.ts';
import type { IncidentStore } from './ports.ts';

/** The queue of major incidents' notices. */
export const INCIDENT_TELL_QUEUE = 'incident.tell';

/** What an incident job carries. */
export type IncidentTell =
  | {
      event: 'declared';
      number: number;
      /** The audience decided at the declaration (user ids); the requesters of linked open reports are added when it runs. */
      to: string[];
      /** People in a guide of an affected service: offered to join. */
      guide: string[];
    }
  | {
      event: 'update';
      number: number;
      text: Localized;
      /** The update's own id (its people's notice keys); jobs written before it had none: their key then. */
      id?: string;
    }
  | {
      event: 'restored';
      number: number;
      text: Localized;
      /** Who resolves the linked reports still open when each requester's notice goes (decided then, not at the commit). */
      resolver?: Resolver;
    }
  | { event: 'suggestion'; serviceId: string; count: number; minutes: number; to: string[] };

/** The job of `tell`, in its incident's lane (an incident's notices in order), left to its writer for the grace. */
export function incidentTellJob(jobs: Pick<JobQueue, 'graceMs'>, tell: IncidentTell, now: Date): NewJob {
  const about = tell.event === 'suggestion' ? `service:${tell.serviceId}` : `incident:${tell.number}`;
  return ownedJob(jobs, { queue: INCIDENT_TELL_QUEUE, key: `${INCIDENT_TELL_QUEUE}:${about}:${tell.event}:${randomUUID()}`, payload: { ...tell, lane: about } }, now);
}

/** A notice as data (held durably, notices.ts): what it says, written in the person's language when sent. */
export type NoticeData =
  | { kind: 'guide' | 'declared'; number: number; serviceId: string; title: Localized; urgent: boolean }
  | { kind: 'update' | 'restored'; number: number; serviceId: string; text: Localized };

/** The notice of `data`. */
export function noticeFrom(data: NoticeData, serviceName: (serviceId: string, lang: Lang) => string): Notice {
  const name = (lang: Lang) => serviceName(data.serviceId, lang);
  const { number } = data;
  const common = { data: data as unknown as Record<string, unknown> };
  switch (data.kind) {
    case 'guide':
      return { ...common, urgent: true, build: (lang) => ({ text: say(lang, 'incidents.guideNotice', { service: name(lang), title: data.title[lang] }), choices: [{ label: say(lang, 'incidents.joinLabel'), value: say(lang, 'incidents.joinValue', { number }) }] }) };
    case 'declared':
      return { ...common, urgent: data.urgent, build: (lang) => ({ text: say(lang, 'incidents.declaredNotice', { service: name(lang), title: data.title[lang] }) }) };
    case 'update':
      return { ...common, urgent: false, build: (lang) => ({ text: say(lang, 'incidents.updateNotice', { service: name(lang), number, text: data.text[lang] }) }) };
    case 'restored':
      return {
        ...common,
        urgent: false,
        build: (lang) => ({
          text: say(lang, 'incidents.restoredNotice', { service: name(lang), text: data.text[lang] }),
          choices: [
            { label: say(lang, 'incidents.worksYes'), value: say(lang, 'incidents.worksYesValue', { number }) },
            { label: say(lang, 'incidents.worksNo'), value: say(lang, 'incidents.worksNoValue', { number }) },
          ],
        }),
      };
  }
}

/** The queue of one person's notice of an incident's change (written by its `incident.tell` job). */
export const INCIDENT_NOTICE_QUEUE = 'incident.notice';

/** What a person's notice job carries: the change, and who hears it; the rest is read when it runs. */
export type IncidentNotice =
  | { event: 'declared'; number: number; to: string; guide: boolean }
  | { event: 'update'; number: number; to: string; text: Localized }
  | { event: 'restored'; number: number; to: string; text: Localized; resolver?: Resolver };

/** Who resolves the linked reports with the incident: the agent who resolved it, or the desk lead (monitoring). */
export type Resolver = Pick<Viewer, 'id' | 'role'>;

/**
 * The key of a person's notice of a change: the same whoever writes it (the change's job, run
 * again after its lease, or a report linked later for the declaration), so each person has one
 * job per change. An incident is declared and restored once; each update has its own id.
 */
export const incidentNoticeKey = (number: number, change: string, userId: string): string => `${INCIDENT_NOTICE_QUEUE}:incident:${number}:${change}:${personStep(userId)}`;

/** A person's notice job: in the person's own lane for this incident (their notices in order; other people's run beside them). */
export function incidentNoticeJob(notice: IncidentNotice, change: string, runAt?: Date): NewJob {
  const lane = `incident:${notice.number}:${personStep(notice.to)}`;
  return { queue: INCIDENT_NOTICE_QUEUE, key: incidentNoticeKey(notice.number, change, notice.to), payload: { ...notice, lane }, ...(runAt ? { runAt } : {}) };
}

/** The change a notice belongs to, in its key: `declared`, `restored`, or the update's own id. */
const changeOf = (tell: Extract<IncidentTell, { number: number }>, jobKey: string | undefined): string =>
  tell.event === 'update' ? `update:${tell.id ?? jobKey ?? randomUUID()}` : tell.event;

/** What running an incident job needs (MajorIncidents gives it). */
export interface IncidentTellDeps {
  store: Pick<IncidentStore, 'find' | 'view' | 'follow' | 'followAll' | 'followers'>;
  /** Reports linked to an incident (open ones only, or all; one requester's only, if given): their numbers and requesters. */
  linked(incidentId: string, openOnly: boolean, requesterId?: string): Promise<{ number: number; requesterId: string }[]>;
  serviceName(serviceId: string, lang: Lang): string;
  notices: Pick<Notices, 'post'>;
  /** Sends messages in the person's language; a message no channel took is thrown. */
  deliver(userId: string, build: (lang: Lang) => OutboundMessage[]): Promise<void>;
  /** Resolves a linked report with the incident (the desk asks its requester "is it fixed?"). */
  resolveTicket(number: number, resolver: Resolver, resolution: string): Promise<unknown>;
  now(): Date;
  /**
   * With a queue: writes the people's notice jobs (keys already written are skipped) and says
   * when they may run (`runAt`, for the writer's grace), else each person is told in process.
   */
  fanOut?: { write(tellKey: string | undefined, jobs: NewJob[]): Promise<void>; runAt(tellKey: string): Date | undefined };
}

/**
 * Runs an incident job. A suggestion: each person one step. A change of an incident: its audience
 * is read (the declaration's people follow it from then on, so an update or the restoration written
 * after reaches them whichever notice ran first) and each person gets a job of their own
 * (`incident.notice`), keyed by the change and the person: a job as short as one message, retried
 * alone, that no lease outlives; this job, run twice (its lease ended), writes no job twice. Without
 * a queue (`report`: in process), each person is told here, failures reported, never thrown.
 */
export async function runIncidentTell(deps: IncidentTellDeps, raw: Record<string, unknown>, job: Pick<JobContext, 'step'> & { job?: JobRecord }, report?: (err: unknown, step: string) => void): Promise<void> {
  const tell = raw as unknown as IncidentTell;
  if (tell.event === 'suggestion') {
    const steps = stepsOf(job, `major incident suggested on ${tell.serviceId}`, report);
    const text = (lang: Lang): OutboundMessage[] => [{ type: 'text', text: say(lang, 'incidents.suggestion', { count: tell.count, service: deps.serviceName(tell.serviceId, lang), minutes: tell.minutes, serviceId: tell.serviceId }) }];
    for (const to of tell.to) await steps.attempt(`to:${personStep(to)}`, () => deps.deliver(to, text));
    return steps.settle();
  }
  const row = await deps.store.find(tell.number);
  // Gone (never in practice: incidents are kept): nobody to tell about it.
  if (!row) return;
  const notices: IncidentNotice[] = [];
  if (tell.event === 'declared') {
    const guide = new Set(tell.guide);
    const requesters = (await deps.linked(row.id, true)).map((t) => t.requesterId);
    for (const to of new Set([...tell.to, ...requesters, ...tell.guide])) notices.push({ event: 'declared', number: tell.number, to, guide: guide.has(to) });
  } else {
    const followers = (await deps.store.followers(row.id)).map((f) => f.userId);
    const requesters = (await deps.linked(row.id, false)).map((t) => t.requesterId);
    for (const to of new Set([...followers, ...requesters])) {
      notices.push(tell.event === 'update' ? { event: 'update', number: tell.number, to, text: tell.text } : { event: 'restored', number: tell.number, to, text: tell.text, ...(tell.resolver ? { resolver: tell.resolver } : {}) });
    }
  }
  const { fanOut } = deps;
  if (!fanOut || report) {
    for (const notice of notices) await runIncidentNotice(deps, notice as unknown as Record<string, unknown>, job, report);
    return;
  }
  const at = deps.now();
  // Followers first: an update committed from now on finds them, whichever notices ran.
  if (tell.event === 'declared') {
    const { store } = deps;
    if (store.followAll) await store.followAll(row.id, notices.map((n) => n.to), 'notified', at);
    else for (const n of notices) await store.follow(row.id, n.to, 'notified', at);
  }
  const change = changeOf(tell, job.job?.key);
  const runAt = job.job ? fanOut.runAt(job.job.key) : undefined;
  await fanOut.write(job.job?.key, notices.map((n) => incidentNoticeJob(n, change, runAt)));
}

/**
 * Runs one person's notice of a change (one step). The restoration is decided now, from what is
 * stored: the person's linked reports still open are resolved with it (the desk asks them "is it
 * fixed?", each report one step), else they are asked "is it working for you?" — so a report
 * resolved or reopened since the restoration's commit is told as it is when the notice goes.
 */
export async function runIncidentNotice(deps: IncidentTellDeps, raw: Record<string, unknown>, job: Pick<JobContext, 'step'> & { job?: JobRecord }, report?: (err: unknown, step: string) => void): Promise<void> {
  const notice = raw as unknown as IncidentNotice;
  const [row, view] = [await deps.store.find(notice.number), await deps.store.view(notice.number)];
  if (!row || !view) return;
  const steps = stepsOf(job, `major incident #${notice.number}: ${notice.event}`, report);
  const { number, to } = notice;
  const serviceId = row.serviceId;
  // A notice held for the digest is held once per job and person (the key), whichever attempt holds it.
  const post = (data: NoticeData, follow = false) =>
    steps.attempt(`to:${personStep(to)}`, async () => {
      if (follow) await deps.store.follow(row.id, to, 'notified', deps.now());
      await deps.notices.post(to, noticeFrom(data, deps.serviceName), job.job ? `${job.job.key}:${personStep(to)}` : undefined);
    });
  // In process they follow it as they are told; a job's people follow it already (the change's job, or their linked report).
  if (notice.event === 'declared') await post({ kind: notice.guide ? 'guide' : 'declared', number, serviceId, title: view.title, urgent: view.impact === 'high' }, !job.job);
  else if (notice.event === 'update') await post({ kind: 'update', number, serviceId, text: notice.text });
  else {
    // This person's open reports only: each notice reads its own, not every linked report of the incident.
    const open = await deps.linked(row.id, true, to);
    // Reports resolved by an earlier attempt of this job: the desk asked already, not "is it working?".
    const resolvedBefore = (job.job?.progress ?? []).some((p) => p.startsWith('resolve:'));
    if (open.length === 0 && !resolvedBefore) await post({ kind: 'restored', number, serviceId, text: notice.text });
    const resolver = notice.resolver;
    for (const t of open) {
      if (resolver) await steps.attempt(`resolve:${t.number}`, () => deps.resolveTicket(t.number, resolver, `${notice.text.fr} / ${notice.text.en}`).then(() => undefined));
    }
  }
  steps.settle();
}

/** The queue of a held notice's digest (notices.ts): due at the end of its window or of quiet hours. */
export const INCIDENT_DIGEST_QUEUE = 'incident.digest';

/** What a digest job needs (MajorIncidents gives it). */
export interface IncidentDigestDeps {
  store: Required<Pick<IncidentStore, 'claimNotices' | 'releaseNotices'>>;
  serviceName(serviceId: string, lang: Lang): string;
  notices: Pick<Notices, 'sendHeld'>;
}

/**
 * Runs a digest job: takes every notice held for the person and not yet taken (by another of their
 * digest jobs: its own job then finds nothing), sends them as ONE message (one step), then deletes
 * them. Still in quiet hours with nothing urgent: it waits for their end (JobNotReady).
 */
export async function runIncidentDigest(deps: IncidentDigestDeps, payload: Record<string, unknown>, ctx: JobContext): Promise<void> {
  const to = String(payload.to);
  const sent = `to:${personStep(to)}`;
  // A retry after the send (its end lost, or the job died before releasing): only its own notices go; claiming
  // again would take notices held since for this person's next digest, and delete them unsent.
  if (ctx.job.progress.includes(sent)) return deps.store.releaseNotices(ctx.job.key);
  const held = await deps.store.claimNotices(to, ctx.job.key);
  if (held.length === 0) return;
  const notices = held.map((h) => noticeFrom(h.notice as unknown as NoticeData, deps.serviceName));
  await ctx.step(sent, async () => {
    const quietEnd = await deps.notices.sendHeld(to, notices);
    if (quietEnd) throw new JobNotReady('major incident digest: quiet hours', quietEnd);
  });
  await deps.store.releaseNotices(ctx.job.key);
}
