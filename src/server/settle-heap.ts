/**
 * V8's heap policy once the server has started: the next major collection when the old generation
 * reaches 1.3× what the last one kept (`--heap-growing-percent=30`), and one full collection right
 * away, for the start's garbage.
 *
 * Why after the start and not on the command line: with the flag from the first instruction, the
 * start (which allocates some 100 MB to keep half of it: the index, the classifier, the modules) ran
 * 9–10 major collections instead of 2, ~0.15 s of a warm start with 10,000 articles (1.8 → 1.65 s)
 * and 0.3–0.4 s of CPU (bench:memory). After it, the flag does what it was added for: an idle server
 * allocates nothing, so without a collection the start's garbage stayed resident, and without the
 * flag the turns' saw-tooth followed a limit V8 set at twice the live heap (docs/operations.md,
 * "The first start on a new database, and the long run"). V8 reads the growing factor at each
 * collection, so setting it now governs every collection from here on.
 *
 * The collection needs `gc`, which `npm start` exposes (`--expose-gc`); without it (node started
 * by hand), only the policy is set. A flag already on the command line is left as it is.
 */
import { setFlagsFromString } from 'node:v8';

const GROWING_PERCENT = 30;

/** Sets the policy and collects once; returns what it did (for the start's log line). */
export function settleHeap(): { growingPercent: number | 'command line'; collected: boolean } {
  const given = process.execArgv.some((a) => a.startsWith('--heap-growing-percent'));
  if (!given) setFlagsFromString(`--heap-growing-percent=${GROWING_PERCENT}`);
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  return { growingPercent: given ? 'command line' : GROWING_PERCENT, collected: gc !== undefined };
}
