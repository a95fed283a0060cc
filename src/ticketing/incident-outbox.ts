/**
 * A major incident's notices as outbox jobs (see src/ticketing/desk/outbox.ts): the declaration,
 * an update, the restoration and a suggestion to the desk each write one "incident.tell" job in the
 * unit of work of the change (IncidentStore's declare, addUpdate, resolve, recordSuggestion). No
 * commit, no job; a commit, a job — run by the writer right after the commit (`runNow`), or by
 * the next runner when the writer died in between.
 *
 * A job carries data, never text: who hears it (the audience and the people in a guide, decided
 * when it was declared; the followers and the requesters of linked reports, read when it runs),
 * and the agent's words in both languages. Each person is one step, named by a digest of their id:
 * a retry skips those told, so nobody hears a notice twice. Notices respect attention (notices.ts):
 * a step hands its notice to `Notices`, which sends it at once or holds it for a digest.
 */
import { randomUUID } from 'node:crypto';
import { JobNotReady, ownedJob, personStep, stepsOf, type JobContext, type JobQueue, type JobRecord, type NewJob } from '../core/jobs.ts';
import type { Lang, Localized } from '../core/lang.ts';
import type { OutboundMessage } from '../core/messages.ts';
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
  | { event: 'update'; number: number; text: Localized }
  | {
      event: 'restored';
      number: number;
      text: Localized;
      /** Requesters whose report was resolved with it: the desk asks them itself. */
      skip: string[];
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

/** What running an incident job needs (MajorIncidents gives it). */
export interface IncidentTellDeps {
  store: Pick<IncidentStore, 'find' | 'view' | 'follow' | 'followers'>;
  /** Requesters of the reports linked to an incident (open ones only, or all). */
  linkedRequesters(incidentId: string, openOnly: boolean): Promise<string[]>;
  serviceName(serviceId: string, lang: Lang): string;
  notices: Pick<Notices, 'post'>;
  /** Sends messages in the person's language; a message no channel took is thrown. */
  deliver(userId: string, build: (lang: Lang) => OutboundMessage[]): Promise<void>;
  now(): Date;
}

/**
 * Runs an incident job: each person one step. Without `report` (a job), a person no channel took
 * fails the job once the others are told, and the retry tells only them; with it (in process, no
 * queue), failures are reported and never thrown.
 */
export async function runIncidentTell(deps: IncidentTellDeps, raw: Record<string, unknown>, job: Pick<JobContext, 'step'> & { job?: JobRecord }, report?: (err: unknown, step: string) => void): Promise<void> {
  const tell = raw as unknown as IncidentTell;
  if (tell.event === 'suggestion') {
    const steps = stepsOf(job, `major incident suggested on ${tell.serviceId}`, report);
    const text = (lang: Lang): OutboundMessage[] => [{ type: 'text', text: say(lang, 'incidents.suggestion', { count: tell.count, service: deps.serviceName(tell.serviceId, lang), minutes: tell.minutes, serviceId: tell.serviceId }) }];
    for (const to of tell.to) await steps.attempt(`to:${personStep(to)}`, () => deps.deliver(to, text));
    return steps.settle();
  }
  const [row, view] = [await deps.store.find(tell.number), await deps.store.view(tell.number)];
  // Gone (never in practice: incidents are kept): nobody to tell about it.
  if (!row || !view) return;
  const steps = stepsOf(job, `major incident #${tell.number}: ${tell.event}`, report);
  const number = tell.number;
  const serviceId = row.serviceId;
  // A notice held for the digest is held once per job and person (the key), whichever attempt holds it.
  const post = (userId: string, data: NoticeData, follow = false) =>
    steps.attempt(`to:${personStep(userId)}`, async () => {
      if (follow) await deps.store.follow(row.id, userId, 'notified', deps.now());
      await deps.notices.post(userId, noticeFrom(data, deps.serviceName), job.job ? `${job.job.key}:${personStep(userId)}` : undefined);
    });
  if (tell.event === 'declared') {
    const guide = new Set(tell.guide);
    const urgent = view.impact === 'high';
    for (const userId of new Set([...tell.to, ...(await deps.linkedRequesters(row.id, true)), ...tell.guide])) {
      await post(userId, { kind: guide.has(userId) ? 'guide' : 'declared', number, serviceId, title: view.title, urgent }, true);
    }
    return steps.settle();
  }
  const followers = (await deps.store.followers(row.id)).map((f) => f.userId);
  const everyone = new Set([...followers, ...(await deps.linkedRequesters(row.id, false))]);
  if (tell.event === 'update') {
    for (const userId of everyone) await post(userId, { kind: 'update', number, serviceId, text: tell.text });
    return steps.settle();
  }
  const asked = new Set(tell.skip);
  for (const userId of everyone) if (!asked.has(userId)) await post(userId, { kind: 'restored', number, serviceId, text: tell.text });
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
