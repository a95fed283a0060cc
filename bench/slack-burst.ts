/**
 * Slack acknowledgements under a burst: signed message events sent at a fixed rate to Guichet's
 * /slack/events (the compiled server, in its own process, talking to a fake Slack Web API in this
 * one) and to a bare Bolt app, interleaved in the same run. Slack retries an event whose 200 takes
 * more than 3 s, so the figure that matters is how many acknowledgements take longer than that; the
 * turns themselves wait in Guichet's bounded turn queue and must all be answered (none dropped).
 *
 * Connections: Slack does not document whether its deliveries reuse connections, and a TLS proxy in
 * front of Guichet (nginx's default) opens a new upstream connection per request; so by default each
 * event comes on a new connection (`Connection: close`), and `--keep-alive` reuses a pool of up to
 * 512 per server. The requests are built and signed before the burst, so sending costs the
 * generator one `http.request` each.
 *
 *   npm run bench:slack -- [--rate 400] [--seconds 5] [--concurrency 4] [--keep-alive] [--pg <postgresql url>]
 */
import './quiet-env.ts';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, request as httpRequest } from 'node:http';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { createDatabase, disposableName, dropDatabase } from '../src/persistence/migrate/index.ts';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { dmEvent, prepareEvent, SIGNING_SECRET, TEAM } from '../test/helpers/slack-signing.ts';
import { get, metric, percentile, ROOT, startBare, startGuichet, type Child } from './lib/children.ts';

const { values } = parseArgs({
  options: { rate: { type: 'string', default: '400' }, seconds: { type: 'string', default: '5' }, concurrency: { type: 'string', default: '4' }, 'keep-alive': { type: 'boolean', default: false }, pg: { type: 'string' } },
});
const RATE = Number(values.rate);
const SECONDS = Number(values.seconds);
const USERS = 500;
const TEXTS = ['bonjour', 'mot de passe oublié', 'le vpn ne marche pas', 'merci', 'aide', 'mon imprimante ne marche plus'];

// The fake Slack Web API runs in its own process: this one only sends (its load must not delay the acks it times).
const fakeProcess = spawn(process.execPath, ['--import', 'tsx', 'bench/lib/fake-slack-server.ts', String(USERS)], { cwd: ROOT, stdio: ['pipe', 'pipe', 'inherit'] });
const fakeLines = createInterface({ input: fakeProcess.stdout! })[Symbol.asyncIterator]();
const fake = JSON.parse((await fakeLines.next()).value as string) as { apiUrl: string };
const postCount = async () => {
  fakeProcess.stdin!.write('count\n');
  return (JSON.parse((await fakeLines.next()).value as string) as { posts: number }).posts;
};

const dir = await mkdtemp(join(tmpdir(), 'guichet-slack-burst-'));
let pgName: string | undefined;
let dbUrl = `file:${join(dir, 'guichet.db')}`;
if (values.pg) {
  pgName = disposableName('bench_slack');
  dbUrl = await createDatabase(values.pg, pgName);
}
const slackEnv = { SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_BOT_TOKEN: 'xoxb-bench', SLACK_API_URL: fake.apiUrl, SLACK_TEAM_IDS: TEAM };
const guichet = await startGuichet('guichet', { ...slackEnv, DATABASE_URL: dbUrl, CHANNELS: 'slack', TURN_CONCURRENCY: values.concurrency!, SLA_TICK_SECONDS: '0' });
const bolt = await startBare('bolt', 'bolt', '', slackEnv);

const KEEP_ALIVE = values['keep-alive']!;
const agent = KEEP_ALIVE ? new Agent({ keepAlive: true, maxSockets: 512 }) : undefined;

/** One POST; resolves with its status and the ms from the request to the end of its response. */
function post(url: string, body: string, headers: Record<string, string>): Promise<{ status: number; ms: number }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    // agent false: a connection of its own, closed after the response (Connection: close).
    const req = httpRequest(url, { method: 'POST', agent: agent ?? false, headers: { 'content-length': String(Buffer.byteLength(body)), ...headers } }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - started }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Several gauges of one /metrics scrape (the event-loop ones are reset by each scrape). */
async function metrics(c: Child, names: string[]): Promise<number[]> {
  const lines = (await get(`${c.url}/metrics`)).text.split('\n');
  return names.map((name) => Number(lines.find((l) => l.startsWith(`${name} `))?.split(' ')[1] ?? NaN));
}

const load = () => loadavg().map((l) => l.toFixed(1)).join(' ');

interface Result {
  acks: number[];
  over3s: number;
  failed: number;
}

/** Sends RATE events a second for SECONDS seconds to both servers, alternating; resolves with each one's ack times. */
async function burst(targets: Child[]): Promise<Map<string, Result>> {
  const results = new Map(targets.map((t) => [t.name, { acks: [] as number[], over3s: 0, failed: 0 }]));
  const total = RATE * SECONDS;
  // Built and signed beforehand (each server gets its own events: distinct event ids and timestamps).
  const requests = targets.map(() => Array.from({ length: total }, (_, i) => prepareEvent(dmEvent(`UB${i % USERS}`, TEXTS[i % TEXTS.length]!))));
  const pending: Promise<void>[] = [];
  const started = performance.now();
  for (let i = 0; i < total; i += 1) {
    const due = started + (i * 1000) / RATE;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    for (const [t, target] of targets.entries()) {
      const request = requests[t]![i]!;
      const result = results.get(target.name)!;
      pending.push(
        post(`${target.url}/slack/events`, request.body, request.headers).then(
          (r) => {
            if (r.status !== 200) result.failed += 1;
            result.acks.push(r.ms);
            if (r.ms > 3_000) result.over3s += 1;
          },
          () => {
            result.failed += 1;
          },
        ),
      );
    }
  }
  await Promise.all(pending);
  const sentIn = (performance.now() - started) / 1000;
  process.stdout.write(`sent ${total} events to each in ${sentIn.toFixed(1)} s (${(total / sentIn).toFixed(0)}/s per server)\n`);
  return results;
}

try {
  const postsBefore = await postCount();
  const loadBefore = load();
  // The scrape resets Node's event-loop delay histogram (prom-client): the one after the burst covers the burst alone.
  await metric(guichet, 'guichet_nodejs_eventloop_lag_max_seconds');
  const turnsStarted = performance.now();
  const results = await burst([guichet, bolt]);
  const acksDone = performance.now();
  const names = ['guichet_turns_queued', 'guichet_nodejs_eventloop_lag_max_seconds', 'guichet_nodejs_eventloop_lag_p99_seconds'];
  const [peakQueued = NaN, lagMax = NaN, lagP99 = NaN] = await metrics(guichet, names);
  const loadAfter = load();
  // Every acknowledged event's turn must end (queued, not dropped): wait for the turn count.
  const g = results.get('guichet')!;
  const expected = g.acks.length - g.failed;
  let turns = 0;
  while (performance.now() - acksDone < 300_000) {
    turns = await metric(guichet, 'guichet_turns_total');
    if (turns >= expected) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  const drained = (performance.now() - turnsStarted) / 1000;
  const posts = (await postCount()) - postsBefore;
  process.stdout.write(`\nSlack burst: ${RATE} events/s for ${SECONDS} s, ${values.pg ? 'PostgreSQL' : 'SQLite'}, TURN_CONCURRENCY=${values.concurrency}, ${KEEP_ALIVE ? 'keep-alive connections' : 'a new connection per event'}; load average ${loadBefore} before, ${loadAfter} after\n`);
  process.stdout.write('server     acks   p50 ms   p99 ms   max ms   >3 s   failed\n');
  for (const [name, r] of results) {
    const sorted = [...r.acks].sort((a, b) => a - b);
    process.stdout.write(
      `${name.padEnd(9)} ${String(sorted.length).padStart(5)} ${percentile(sorted, 50).toFixed(1).padStart(8)} ${percentile(sorted, 99).toFixed(1).padStart(8)} ${sorted.at(-1)!.toFixed(1).padStart(8)} ${String(r.over3s).padStart(6)} ${String(r.failed).padStart(8)}\n`,
    );
  }
  process.stdout.write(`guichet turns: ${turns}/${expected} ended (${posts} replies posted), queue ${peakQueued} right after the burst, all done ${drained.toFixed(1)} s after the first event; Guichet's event loop during the burst: delay p99 ${(lagP99 * 1000).toFixed(0)} ms, max ${(lagMax * 1000).toFixed(0)} ms\n`);
  const verdict = results.get('guichet')!.over3s === 0 ? 'none' : `${results.get('guichet')!.over3s} MISSED`;
  process.stdout.write(`target: no acknowledgement over 3 s at 400 events/s; at ${RATE}/s asked: ${verdict}${RATE < 400 ? ' (below the target rate)' : ''}\n`);
} finally {
  await guichet.stop();
  await bolt.stop();
  fakeProcess.kill('SIGTERM');
  if (pgName && values.pg) await dropDatabase(values.pg, pgName).catch(() => undefined);
  await rm(dir, { recursive: true, force: true });
}
process.exit(0);
