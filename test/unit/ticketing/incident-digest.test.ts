/**
 * An incident digest job run again after its send (its end lost, or it died before releasing its
 * notices) must not claim the notices held since for the person's next digest: it would skip the
 * send (already recorded) and delete them unsent.
 */
import { describe, expect, it } from 'vitest';
import { personStep, type JobContext, type JobRecord } from '../../../src/core/jobs.ts';
import { runIncidentDigest, type IncidentDigestDeps } from '../../../src/ticketing/incident-outbox.ts';

function world() {
  const calls: string[] = [];
  const sent: number[] = [];
  const deps: IncidentDigestDeps = {
    store: {
      claimNotices: async (userId, by) => (calls.push(`claim ${userId} by ${by}`), [{ notice: { kind: 'update', incidentId: 'mi-1', serviceId: 'vpn', text: 'still down' } } as never]),
      releaseNotices: async (by) => void calls.push(`release ${by}`),
    },
    serviceName: (id) => id,
    notices: { sendHeld: async (_to, notices) => (sent.push(notices.length), undefined) },
  };
  return { deps, calls, sent };
}

const job = (progress: string[]): JobRecord => ({ id: 1, queue: 'incident.digest', key: 'incident.digest:u1:1', payload: { to: 'u1' }, status: 'pending', attempts: 1, runAt: new Date(), lockedBy: 'a', progress, lastError: null, createdAt: new Date(), doneAt: null });
const context = (record: JobRecord): JobContext => ({ job: record, step: async (name, work) => (record.progress.includes(name) ? undefined : work()) });

describe('runIncidentDigest', () => {
  it('claims, sends once and releases on its first run', async () => {
    const { deps, calls, sent } = world();
    await runIncidentDigest(deps, { to: 'u1' }, context(job([])));
    expect(calls).toEqual(['claim u1 by incident.digest:u1:1', 'release incident.digest:u1:1']);
    expect(sent).toEqual([1]);
  });

  it('run again after its send, only releases its own notices: nothing held since is claimed, nothing is sent', async () => {
    const { deps, calls, sent } = world();
    await runIncidentDigest(deps, { to: 'u1' }, context(job([`to:${personStep('u1')}`])));
    expect(calls).toEqual(['release incident.digest:u1:1']);
    expect(sent).toEqual([]);
  });
});
