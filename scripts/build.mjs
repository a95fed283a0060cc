#!/usr/bin/env node
// `npm run build`: compiles src/ to dist/ (tsconfig.build.json) and copies what the server reads at
// run time beside the compiled modules (the web chat's and the portal's public/ folders; the text
// tables are JSON imports, which tsc emits itself). Writes dist/.build-stamp last.
// `--if-stale` (run by `prestart`): builds only when dist/ is missing or older than a source, so
// `npm ci && npm start` works on a fresh machine and a started image (no src/) never rebuilds.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const src = join(root, 'src');
const dist = join(root, 'dist');
const stamp = join(dist, '.build-stamp');
/** Files outside src/ whose change makes the build stale. */
const inputs = ['tsconfig.json', 'tsconfig.build.json', 'package.json'].map((f) => join(root, f));

/** Newest modification time (ms) of the files under `dir`, or 0. */
function newest(dir) {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

/** Folders named `public` under src/ (served as static files from dist/). */
function publicDirs(dir) {
  const found = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name === 'generated') continue;
    const path = join(dir, entry.name);
    if (entry.name === 'public') found.push(path);
    else found.push(...publicDirs(path));
  }
  return found;
}

function stale() {
  if (!existsSync(src)) return false; // an image without sources: dist/ is what ships
  if (!existsSync(stamp)) return true;
  const built = statSync(stamp).mtimeMs;
  return newest(src) > built || inputs.some((f) => existsSync(f) && statSync(f).mtimeMs > built);
}

if (process.argv.includes('--if-stale') && !stale()) process.exit(0);

let tsc;
try {
  tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
} catch {
  console.error('build: TypeScript is not installed (a devDependency): run `npm ci` without --omit=dev, then `npm run build`');
  process.exit(1);
}
const started = performance.now();
rmSync(dist, { recursive: true, force: true });
const result = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { cwd: root, stdio: 'inherit' });
if (result.status !== 0) {
  console.error(`build: tsc failed (exit ${result.status ?? result.signal})`);
  process.exit(1);
}
for (const dir of publicDirs(src)) cpSync(dir, join(dist, relative(src, dir)), { recursive: true });
mkdirSync(dist, { recursive: true });
writeFileSync(stamp, `${new Date().toISOString()}\n`);
console.log(`build: src → dist (${((performance.now() - started) / 1000).toFixed(1)} s)`);
