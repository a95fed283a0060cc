/**
 * Servers under measurement, each in its own child process (so that the load generator's work never
 * counts in their latency): Guichet as production runs it (`node dist/main.js`, built first when
 * stale) and the bare peers of bench/lib/bare-servers.ts. Plus a keep-alive HTTP client that times
 * each exchange.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface Child {
  name: string;
  url: string;
  process: ChildProcess;
  stop(): Promise<number | null>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

function child(name: string, proc: ChildProcess, url: string): Child {
  let stderr = '';
  proc.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  proc.stdout?.resume();
  const exited = new Promise<number | null>((resolve) => proc.on('close', (code) => resolve(code)));
  proc.on('close', (code) => {
    if (code !== 0 && code !== null && stderr) process.stderr.write(`${name} exited ${code}:\n${stderr.slice(-2_000)}\n`);
  });
  return {
    name,
    url,
    process: proc,
    stop: () => {
      proc.kill('SIGTERM');
      return exited;
    },
  };
}

// BENCH_READY_TIMEOUT_MS: a cold start with 10,000 articles on a loaded machine can take longer than 3 min.
async function waitFor(url: string, timeoutMs = Number(process.env.BENCH_READY_TIMEOUT_MS ?? 180_000)): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    const status = await get(url).then((r) => r.status, () => 0);
    if (status === 200) return;
    // 50 ms: bench:memory's start times are read to the poll (200 ms rounded a 1.8 s start up to 2.0 s).
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${url} not ready after ${timeoutMs} ms`);
}

/** The flags between `node` and `dist/main.js` in package.json's start script. */
function startFlags(): string[] {
  const start = (JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')) as { scripts: { start: string } }).scripts.start.split(/\s+/);
  return start.slice(start.indexOf('node') + 1, start.indexOf('dist/main.js'));
}

/** Guichet from dist/ (built when stale) with `env`; resolves once /readyz answers 200. */
export async function startGuichet(name: string, env: Record<string, string>): Promise<Child> {
  const build = spawnSync(process.execPath, ['scripts/build.mjs', '--if-stale'], { cwd: ROOT, stdio: 'inherit' });
  if (build.status !== 0) throw new Error('build failed');
  const port = await freePort();
  // The node flags of `npm start` (production's), plus BENCH_GUICHET_NODE_ARGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof").
  const nodeArgs = [...startFlags(), ...(process.env.BENCH_GUICHET_NODE_ARGS?.split(' ').filter(Boolean) ?? [])];
  const proc = spawn(process.execPath, [...nodeArgs, 'dist/main.js'], {
    cwd: ROOT,
    env: { ...process.env, DOTENV_CONFIG_QUIET: 'true', LOG_LEVEL: 'warn', PORT: String(port), HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const c = child(name, proc, `http://127.0.0.1:${port}`);
  await waitFor(`${c.url}/readyz`);
  return c;
}

/** A bare peer (bench/lib/bare-servers.ts). */
export async function startBare(name: string, kind: 'express' | 'bolt', dbUrl: string, env: Record<string, string> = {}): Promise<Child> {
  const port = await freePort();
  const proc = spawn(process.execPath, ['--import', 'tsx', 'bench/lib/bare-servers.ts', kind, String(port), dbUrl], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const c = child(name, proc, `http://127.0.0.1:${port}`);
  await waitFor(`${c.url}/rss`);
  return c;
}

const agent = new Agent({ keepAlive: true, maxSockets: 512 });

/** One HTTP exchange; `ms` from the request to the end of the response. */
export function exchange(url: string, method: 'GET' | 'POST', body?: string, headers: Record<string, string> = {}): Promise<{ status: number; text: string; ms: number }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(url, { method, agent, headers: body === undefined ? headers : { 'content-length': Buffer.byteLength(body).toString(), ...headers } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text, ms: performance.now() - started }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

export const get = (url: string) => exchange(url, 'GET');

/** Resident memory of Guichet (from /metrics) or of a bare peer (/rss), in MB. */
export async function rssMb(c: Child): Promise<number> {
  if (c.name.startsWith('guichet')) {
    const text = (await get(`${c.url}/metrics`)).text;
    const line = text.split('\n').find((l) => l.startsWith('guichet_process_resident_memory_bytes '));
    return Number(line?.split(' ')[1]) / 1e6;
  }
  return (JSON.parse((await get(`${c.url}/rss`)).text) as { rss: number }).rss / 1e6;
}

/** A metric's total over its label sets, from Guichet's /metrics. */
export async function metric(c: Child, name: string): Promise<number> {
  const text = (await get(`${c.url}/metrics`)).text;
  return text
    .split('\n')
    .filter((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`))
    .reduce((sum, l) => sum + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}
