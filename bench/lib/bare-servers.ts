/**
 * The bare peers the operations benchmarks compare Guichet with, each run as its own child process
 * (`tsx bench/lib/bare-servers.ts <kind> <port> [db url]`), printing one JSON line `{"ready":true}`
 * once it listens:
 * - `express`: an Express app whose POST /api/web/messages stores one row (SQLite with better-sqlite3,
 *   or PostgreSQL with pg) and answers JSON — the floor of a web turn;
 * - `bolt`: a bare Bolt app (ExpressReceiver, same signing secret) whose event listener does nothing —
 *   the floor of a Slack acknowledgement.
 * Both answer GET /rss with their resident memory in bytes.
 */
import '../quiet-env.ts';
import { randomUUID } from 'node:crypto';
import express from 'express';

const [kind, portText, dbUrl] = process.argv.slice(2);
const port = Number(portText);

async function expressPeer(): Promise<express.Express> {
  const app = express();
  app.use(express.json());
  let store: (id: string, body: string) => Promise<void>;
  if (dbUrl?.startsWith('postgres')) {
    const { default: pg } = await import('pg');
    const pool = new pg.Pool({ connectionString: dbUrl, max: 10 });
    await pool.query('CREATE TABLE IF NOT EXISTS bench_rows (id text PRIMARY KEY, body text NOT NULL, at timestamptz NOT NULL DEFAULT now())');
    store = async (id, body) => {
      await pool.query('INSERT INTO bench_rows (id, body) VALUES ($1, $2)', [id, body]);
    };
  } else {
    const { default: Sqlite } = await import('better-sqlite3');
    const db = new Sqlite(dbUrl?.replace(/^file:/, '') ?? ':memory:');
    db.pragma('journal_mode = WAL');
    db.exec('CREATE TABLE IF NOT EXISTS bench_rows (id TEXT PRIMARY KEY, body TEXT NOT NULL, at TEXT NOT NULL)');
    const insert = db.prepare('INSERT INTO bench_rows (id, body, at) VALUES (?, ?, ?)');
    store = async (id, body) => {
      insert.run(id, body, new Date().toISOString());
    };
  }
  app.post('/api/web/messages', async (req, res) => {
    const body = req.body as { id?: string; text?: string };
    await store(`${randomUUID()}:${body.id ?? ''}`, body.text ?? '');
    res.json({ replies: [{ type: 'text', text: 'ok' }] });
  });
  return app;
}

async function boltPeer(): Promise<express.Express> {
  const { App, ExpressReceiver } = await import('@slack/bolt');
  const receiver = new ExpressReceiver({ signingSecret: process.env.SLACK_SIGNING_SECRET ?? '', endpoints: '/slack/events' });
  const app = new App({ receiver, authorize: async () => ({ botToken: 'xoxb-bench', botUserId: 'UGUICHET', botId: 'BGUICHET' }) });
  app.event('message', async () => undefined);
  return receiver.app as unknown as express.Express;
}

const app = kind === 'bolt' ? await boltPeer() : await expressPeer();
app.get('/rss', (_req, res) => {
  res.json({ rss: process.memoryUsage().rss });
});
app.listen(port, '127.0.0.1', () => process.stdout.write(`${JSON.stringify({ ready: true })}\n`));
