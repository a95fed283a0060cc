/**
 * How major incidents tell people (the messaging concern of major-incidents.ts): the `Notices` with
 * their digest window and quiet hours, stored with a delayed digest job when the store and the job
 * queue allow it; the outbox jobs that carry each change's notices (incident-outbox.ts), registered
 * once; and `withTell`, which writes a change with its job and runs it after the commit, then the
 * people's notice jobs it wrote (others take what is left after the grace).
 */
import { inProcess, personStep, type JobQueue, type NewJob } from '../core/jobs.ts';
import type { Lang } from '../core/lang.ts';
import type { OutboundMessage } from '../core/messages.ts';
import type { Clock } from '../core/ports.ts';
import type { DeskInternals } from './desk/internals.ts';
import type { IncidentSettings } from './incident-config.ts';
import { INCIDENT_DIGEST_QUEUE, INCIDENT_NOTICE_QUEUE, INCIDENT_TELL_QUEUE, incidentTellJob, runIncidentDigest, runIncidentNotice, runIncidentTell, type IncidentNotice, type IncidentTell, type IncidentTellDeps, type Resolver } from './incident-outbox.ts';
import { Notices, type NoticeDeps } from './notices.ts';
import type { IncidentStore } from './ports.ts';

/** What major-incidents.ts gives (its own deps, with its settings resolved). */
export interface MessageDeps {
  store: IncidentStore;
  clock: Clock;
  desk: DeskInternals;
  settings: IncidentSettings;
  /** Resolves a linked report as the agent who resolved the incident (its requester is asked to confirm). */
  resolveTicket(number: number, actor: Resolver, resolution: string): Promise<unknown>;
  jobs?: JobQueue;
  onError?: (err: unknown, context: string) => void;
}

export class IncidentMessages {
  readonly notices: Notices;
  /**
   * The changes this instance wrote and runs now (withTell), and the notice jobs each one's job
   * wrote when it ran here: the writer runs them too, right after (left to the others after the
   * grace), so the change's author sees them go as before.
   */
  private readonly writing = new Map<string, string[]>();

  constructor(
    private readonly deps: MessageDeps,
    private readonly serviceName: (serviceId: string, lang: Lang) => string,
  ) {
    const { desk, settings, jobs, store } = deps;
    this.notices = new Notices({
      clock: deps.clock,
      send: (userId, build) => desk.deliver(userId, build),
      onError: (err, userId) => deps.onError?.(err, `major incident digest to person ${personStep(userId)}`),
      digestSeconds: settings.notices.digestSeconds,
      ...(settings.notices.quietHours ? { quietHours: settings.notices.quietHours } : {}),
      timeZone: () => desk.zone().timeZone ?? 'Europe/Paris',
      ...this.durableHold(),
    });
    jobs?.handle(INCIDENT_TELL_QUEUE, (payload, job) => runIncidentTell(this.tellDeps(), payload, job));
    jobs?.handle(INCIDENT_NOTICE_QUEUE, (payload, job) => runIncidentNotice(this.tellDeps(), payload, job));
    const { claimNotices, releaseNotices } = store;
    if (jobs && claimNotices && releaseNotices) {
      const held = { claimNotices: claimNotices.bind(store), releaseNotices: releaseNotices.bind(store) };
      jobs.handle(INCIDENT_DIGEST_QUEUE, (payload, job) => runIncidentDigest({ store: held, serviceName, notices: this.notices }, payload, job));
    }
  }

  /**
   * A change with its notices: `write` stores the change with the jobs given (one unit of work), then
   * the job runs here at once (another instance runs it if this one dies first). Without a queue,
   * the notices are sent in process after the change, failures reported.
   */
  async withTell<T>(tell: (result: T) => IncidentTell | undefined, write: (jobsFor: (result: T) => NewJob[]) => Promise<T>, beforeSend?: (result: T) => Promise<void>): Promise<T> {
    const { jobs } = this.deps;
    const now = this.deps.clock.now();
    const keys: string[] = [];
    const result = await write((r) => {
      const payload = jobs ? tell(r) : undefined;
      if (!jobs || !payload) return [];
      const job = incidentTellJob(jobs, payload, now);
      keys.push(job.key);
      return [job];
    });
    await beforeSend?.(result);
    if (jobs) {
      for (const key of keys) this.writing.set(key, []);
      try {
        await jobs.runNow(keys);
        const notices = keys.flatMap((key) => this.writing.get(key) ?? []);
        if (notices.length > 0) await jobs.runNow(notices);
      } finally {
        for (const key of keys) this.writing.delete(key);
      }
    } else {
      const payload = tell(result);
      const report = (err: unknown, step: string) => this.deps.onError?.(err, `major incident notice (${step})`);
      if (payload) await runIncidentTell(this.tellDeps(), payload as unknown as Record<string, unknown>, inProcess, report).catch((err: unknown) => report(err, payload.event));
    }
    return result;
  }

  /** One person's notice in process (no queue), a failure reported. */
  async tellNow(notice: IncidentNotice): Promise<void> {
    const report = (err: unknown, step: string) => this.deps.onError?.(err, `major incident notice (${step})`);
    await runIncidentNotice(this.tellDeps(), notice as unknown as Record<string, unknown>, inProcess, report).catch((err: unknown) => report(err, notice.event));
  }

  /** With a job queue and a store that holds notices: a held notice is stored with its delayed digest job, and each person's window is stored (notices.ts). */
  private durableHold(): Pick<NoticeDeps, 'hold' | 'windows'> {
    const { jobs, store, clock } = this.deps;
    if (!jobs || !store.holdNotice || !store.claimNotices) return {};
    const { noticeWindow, noticeTold } = store;
    return {
      ...(noticeWindow && noticeTold ? { windows: { get: noticeWindow.bind(store), told: noticeTold.bind(store) } } : {}),
      hold: (userId, notice, due, key) =>
        store.holdNotice!({ key, userId, notice: notice.data!, urgent: notice.urgent }, { queue: INCIDENT_DIGEST_QUEUE, key: `${INCIDENT_DIGEST_QUEUE}:${key}`, payload: { to: userId }, runAt: due }, clock.now()),
    };
  }

  /** What an incident job needs to run. */
  private tellDeps(): IncidentTellDeps {
    const { desk, store, clock, jobs } = this.deps;
    return {
      store,
      linked: (incidentId, openOnly, requesterId) => desk.repository.linkedTo(incidentId, { openOnly, ...(requesterId ? { requesterId } : {}) }),
      serviceName: this.serviceName,
      notices: this.notices,
      deliver: (userId, build: (lang: Lang) => OutboundMessage[]) => desk.deliver(userId, build),
      resolveTicket: (number, resolver, resolution) => this.deps.resolveTicket(number, resolver, resolution),
      now: () => clock.now(),
      ...(jobs ? { fanOut: this.fanOut(jobs) } : {}),
    };
  }

  /**
   * Where a change's job puts its people's notice jobs: in the outbox, due at once — or, when its
   * writer runs it here (withTell), left to this instance for the grace and run right after.
   */
  private fanOut(jobs: JobQueue): NonNullable<IncidentTellDeps['fanOut']> {
    return {
      write: async (tellKey, notices) => {
        if (notices.length > 0) await jobs.enqueue(notices);
        if (tellKey) this.writing.get(tellKey)?.push(...notices.map((n) => n.key));
      },
      runAt: (tellKey) => (this.writing.has(tellKey) ? new Date(this.deps.clock.now().getTime() + jobs.graceMs) : undefined),
    };
  }
}
