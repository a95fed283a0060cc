/**
 * One job in a worker thread, for start-up work whose memory should not stay in the server: what a
 * worker allocates (its JS heap and the garbage of the job, WebAssembly it compiles, source maps its
 * stack traces parse) goes when the thread ends, whereas V8 keeps a grown main heap committed and an
 * idle server never collects the garbage a start left. Used by the search index's build
 * (src/knowledge/search/build-index-cache.ts), the intent classifier's training and the migrations of
 * a new database.
 *
 * The worker module calls `workerResult(job)` once; `runInWorker` resolves with the job's value once the
 * thread has ended (it is terminated as soon as the result arrives, so a handle left open cannot hold
 * it), or rejects with the job's error (a GuichetError keeps its code and message).
 */
import { parentPort, Worker, workerData } from 'node:worker_threads';
import { GuichetError } from './errors.ts';
import type { GuichetErrorCode } from './error-codes.ts';

type Outcome = { value: unknown } | { error: { message: string; code?: GuichetErrorCode } };

/**
 * Runs the worker module at `module` (a URL next to the caller's, `.ts` under tsx or vitest, `.js` in
 * dist/) with `data` as its workerData. Rejects when the job fails or the thread exits without a result.
 */
export function runInWorker<T>(module: URL, data: unknown): Promise<T> {
  // Inside the executor, a worker that cannot start (data it cannot clone) rejects rather than throws.
  return new Promise<T>((resolve, reject) => {
    // Run from src/ (tsx, vitest), the worker is TypeScript: it registers tsx's loader first (a worker does not inherit vitest's).
    const worker = module.pathname.endsWith('.ts')
      ? new Worker(`import('tsx/esm/api').then((tsx) => tsx.register()).then(() => import(${JSON.stringify(module.href)}))`, { eval: true, workerData: data })
      : new Worker(module, { workerData: data });
    let outcome: Outcome | undefined;
    worker.on('message', (message: Outcome) => {
      outcome = message;
      // The job is done: whatever it left open (a timer, a pool still closing) must not keep the thread, nor its memory.
      void worker.terminate();
    });
    worker.on('error', reject);
    worker.on('exit', (code) => {
      if (outcome && 'value' in outcome) return resolve(outcome.value as T);
      if (outcome) {
        const { code: errorCode, message } = outcome.error;
        return reject(errorCode ? new GuichetError(errorCode, message) : new Error(message));
      }
      reject(new Error(`worker ${module.pathname.split('/').at(-1)} exited with code ${code} and no result`));
    });
  });
}

/**
 * The worker module `name` beside the caller's module `base` (its `import.meta.url`), compiled like it:
 * `./name.ts` when the caller runs from src/ (tsx, vitest), `./name.js` in dist/.
 */
export function workerModule(name: string, base: string): URL {
  return new URL(`./${name}.${base.endsWith('.ts') ? 'ts' : 'js'}`, base);
}

/** In the worker module: runs `job` and posts its value (structured-cloneable) or its error to `runInWorker`. */
export async function workerResult(job: () => unknown): Promise<void> {
  let outcome: Outcome;
  try {
    outcome = { value: await job() };
  } catch (error) {
    const e = error as { message?: unknown; code?: unknown };
    const message = typeof e?.message === 'string' ? e.message : String(error);
    outcome = { error: error instanceof GuichetError ? { message, code: error.code } : { message } };
  }
  parentPort?.postMessage(outcome);
}

/** The workerData given to `runInWorker`, in the worker module. */
export function jobData<T>(): T {
  return workerData as T;
}
