/**
 * runInWorker (src/core/worker.ts): a job's value comes back, its GuichetError keeps its code and
 * message, a thread that ends without a result rejects, and a handle the job left open does not keep
 * the thread (nor the caller waiting).
 */
import { describe, expect, it } from 'vitest';
import { GuichetError } from '../../../src/core/errors.ts';
import { runInWorker } from '../../../src/core/worker.ts';

const job = new URL('../../fixtures/workers/job.ts', import.meta.url);

describe('runInWorker', () => {
  it("resolves with the job's value", async () => {
    expect(await runInWorker(job, { kind: 'value', value: 21 })).toEqual({ doubled: 42 });
  });

  it('resolves even when the job leaves a timer running', async () => {
    expect(await runInWorker(job, { kind: 'keeps-a-timer', value: 2 })).toEqual({ doubled: 4 });
  });

  it("rejects with the job's GuichetError (code and message) or its message", async () => {
    const error = await runInWorker(job, { kind: 'guichet-error' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GuichetError);
    expect(error).toMatchObject({ code: 'migrate.failed', message: 'migrate: migration "x" failed' });
    await expect(runInWorker(job, { kind: 'error' })).rejects.toThrow('not a function');
  });

  it('rejects when the thread ends without a result, or cannot start', async () => {
    await expect(runInWorker(job, { kind: 'exits' })).rejects.toThrow(/exited with code 3 and no result/);
    await expect(runInWorker(job, { kind: 'value', value: () => 1 })).rejects.toThrow();
  });
});
