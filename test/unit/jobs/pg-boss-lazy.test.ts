/**
 * pg-boss (and pg under it) is loaded when a PostgreSQL queue boots, never by importing the job
 * modules: an SQLite server does not pay for it at start (~0.08 s, bench:memory's profile).
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

/** The node_modules packages loaded (CommonJS cache) by a fresh node after importing `modules`. */
function packagesLoadedBy(modules: string[]): string[] {
  const script = [
    ...modules.map((m) => `await import(${JSON.stringify(m)});`),
    "const { createRequire } = await import('node:module');",
    'const cache = createRequire(import.meta.url).cache;',
    "const names = new Set(Object.keys(cache).map((f) => /node_modules\\/((?:@[^/]+\\/)?[^/]+)\\//.exec(f)?.[1]).filter(Boolean));",
    'console.log(JSON.stringify([...names].sort()));',
  ].join('\n');
  const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', env: { ...process.env, DOTENV_CONFIG_QUIET: 'true' } });
  expect(run.status, run.stderr).toBe(0);
  return JSON.parse(run.stdout.trim().split('\n').at(-1) ?? '[]') as string[];
}

describe('pg-boss is loaded only by a PostgreSQL queue', () => {
  it('importing the app job modules loads neither pg-boss nor pg; importing pg-boss itself does (the check sees CommonJS packages)', () => {
    const app = packagesLoadedBy(['./src/app/jobs.ts', './src/jobs/pg-boss-queue.ts']);
    expect(app).not.toContain('pg-boss');
    expect(app).not.toContain('pg');
    expect(packagesLoadedBy(['pg-boss'])).toEqual(expect.arrayContaining(['pg-boss', 'pg']));
  });
});
