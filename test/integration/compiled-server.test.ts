/**
 * `npm start` as production runs it: the compiled server (npm run build → dist/main.js) under plain
 * node, on a real database. It serves the web chat from dist/, logs JSON lines with turn and request
 * ids and no message text, and on SIGTERM during a burst of turns finishes every turn it accepted
 * before exiting 0 (src/server/shutdown.ts).
 */
import { spawn, spawnSync } from 'node:child_process';
import { request } from 'node:http';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../helpers/database.ts';
import { finished, freePort, ROOT } from '../helpers/process.ts';

let testDb: Awaited<ReturnType<typeof createTestDatabase>>;

beforeAll(async () => {
  testDb = await createTestDatabase();
  // What `prestart` runs: a build only when dist/ is missing or older than a source.
  const build = spawnSync(process.execPath, ['scripts/build.mjs', '--if-stale'], { cwd: ROOT, encoding: 'utf8' });
  expect(build.status, build.stderr + build.stdout).toBe(0);
  expect(existsSync(join(ROOT, 'dist', 'main.js'))).toBe(true);
}, 240_000);

afterAll(async () => {
  await testDb?.cleanup();
});

const BURST = 100;
const SECRET_TEXT = 'aide-moi-zebre-violet';

/** Total of `name` samples (all label sets) in a Prometheus text. */
function total(text: string, name: string): number {
  return text
    .split('\n')
    .filter((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`))
    .reduce((sum, l) => sum + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
}

/** One HTTP exchange on its own connection (fetch's pool sends a burst a few at a time and may reuse a connection the server is closing). */
function http(url: string, body?: unknown): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: body === undefined ? 'GET' : 'POST', agent: false, headers: body === undefined ? {} : { 'content-type': 'application/json' } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

const post = (base: string, text: string) => http(`${base}/api/web/messages`, { id: randomUUID(), text });

describe('the compiled server (dist/main.js under node)', () => {
  it('serves the web chat, then on SIGTERM mid-burst finishes every accepted turn and exits 0', { timeout: 120_000 }, async () => {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const child = spawn(process.execPath, ['--enable-source-maps', 'dist/main.js'], {
      cwd: ROOT,
      // One turn at a time, so that the burst is still queued when the signal comes.
      env: { ...process.env, DOTENV_CONFIG_QUIET: 'true', DATABASE_URL: testDb.url, PORT: String(port), LOG_LEVEL: 'info', CHANNELS: 'web', TURN_CONCURRENCY: '1', SHUTDOWN_TIMEOUT_SECONDS: '60' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const done = finished(child);
    let signalled = false;
    try {
      const startedAt = Date.now();
      let ready = 0;
      while (Date.now() - startedAt < 60_000 && ready !== 200) {
        ready = await fetch(`${base}/readyz`).then((r) => r.status, () => 0);
        if (ready !== 200) await new Promise((r) => setTimeout(r, 100));
      }
      expect(ready).toBe(200);

      // The page and its script come from dist/channels/web/public.
      const page = await fetch(`${base}/`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<ol id="log" class="messages">');
      expect((await fetch(`${base}/chat.js`)).status).toBe(200);
      const hello = await post(base, 'bonjour');
      expect(hello.status).toBe(200);
      expect((JSON.parse(hello.text) as { replies: { text?: string }[] }).replies[0]?.text).toMatch(/^Bonjour ! Je suis Guichet/);

      // A burst: every request reaches the server (counted by /metrics) before the signal.
      const burst = Array.from({ length: BURST }, () => post(base, SECRET_TEXT).then((r) => ({ status: r.status, body: JSON.parse(r.text) as { replies?: unknown[] } })));
      let queuedAtSignal = 0;
      while (Date.now() - startedAt < 90_000) {
        const metrics = (await http(`${base}/metrics`)).text;
        const seen = total(metrics, 'guichet_turns_queued') + total(metrics, 'guichet_turns_running') + total(metrics, 'guichet_turns_total') - 1;
        if (seen >= BURST) {
          queuedAtSignal = total(metrics, 'guichet_turns_queued');
          break;
        }
        await new Promise((r) => setTimeout(r, 5));
      }
      child.kill('SIGTERM');
      signalled = true;
      // The signal came while turns were still waiting: otherwise this test would prove nothing.
      expect(queuedAtSignal).toBeGreaterThan(0);
      // Shortly after the signal, the instance is not ready and refuses new turns (or no longer listens).
      await new Promise((r) => setTimeout(r, 50));
      const late = await post(base, 'bonjour').then((r) => r.status, () => 'refused');
      expect([503, 'refused']).toContain(late);

      const answers = await Promise.all(burst);
      expect(answers.map((a) => a.status)).toEqual(Array(BURST).fill(200));
      expect(answers.every((a) => (a.body.replies?.length ?? 0) > 0)).toBe(true);
    } finally {
      // Only when the test failed before its own signal: a second signal while stopping exits at once, with 1.
      if (!signalled) child.kill('SIGTERM');
    }
    const { code, stdout, stderr } = await done;
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const lines = stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
    // Structured logs: each turn has an id, its channel and route; the message text is never logged.
    const turns = lines.filter((l) => l.msg === 'turn');
    expect(turns).toHaveLength(BURST + 1);
    expect(turns.every((t) => typeof t.turnId === 'string' && t.channel === 'web' && typeof t.route === 'string')).toBe(true);
    expect(new Set(turns.map((t) => t.turnId)).size).toBe(BURST + 1);
    expect(stdout).not.toContain(SECRET_TEXT);
    expect(lines.some((l) => l.msg === 'request' && typeof l.reqId === 'string' && l.path === '/api/web/messages')).toBe(true);
    const stopped = lines.find((l) => l.msg === 'stopped');
    expect(stopped?.timedOut).toBe(false);
  });
});
