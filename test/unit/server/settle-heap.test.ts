/**
 * settleHeap (src/server/settle-heap.ts) sets V8's growing factor once the server has started, and
 * collects once when `gc` is exposed. Checked on V8 itself, in a child node: the number of major
 * collections (--trace-gc) of the same allocation pattern with and without it.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

/** Mark-compacts of a node that keeps a sliding window of ~60 MB while allocating ~300 MB, after `setup`. */
function majorCollections(setup: string, flags: string[] = []): { count: number; output: string } {
  const script = `
    ${setup}
    const keep = [];
    for (let i = 0; i < 300; i++) { keep.push(Array.from({ length: 50000 }, (_, x) => ({ x }))); if (keep.length > 60) keep.shift(); }
    console.log('done');`;
  const run = spawnSync(process.execPath, [...flags, '--trace-gc', '--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', env: { ...process.env, DOTENV_CONFIG_QUIET: 'true' } });
  expect(run.status, run.stderr).toBe(0);
  return { count: run.stdout.split('\n').filter((l) => l.includes('Mark-Compact')).length, output: run.stdout };
}

describe('settleHeap', () => {
  it('makes V8 collect the old generation at 1.3× the live heap from then on, and collects once when gc is exposed', () => {
    const without = majorCollections('');
    const settled = majorCollections("const { settleHeap } = await import('./src/server/settle-heap.ts'); console.log(JSON.stringify(settleHeap()));", ['--expose-gc']);
    expect(settled.output).toContain('"growingPercent":30,"collected":true');
    expect(settled.count).toBeGreaterThanOrEqual(without.count + 3);
  });
});
