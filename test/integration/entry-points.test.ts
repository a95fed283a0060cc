import { createServer, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../helpers/database.ts';
import { finished, freePort, runTs } from '../helpers/process.ts';

let testDb: Awaited<ReturnType<typeof createTestDatabase>>;

beforeAll(async () => {
  testDb = await createTestDatabase();
});

afterAll(async () => {
  await testDb?.cleanup();
});

describe('npm start (src/main.ts)', () => {
  // Start-up trains the intent classifier and syncs the knowledge base: seconds on a busy machine.
  it('serves /healthz, then stops cleanly on SIGTERM', { timeout: 90_000 }, async () => {
    const port = await freePort();
    const child = runTs('src/main.ts', [], { DATABASE_URL: testDb.url, PORT: String(port), LOG_LEVEL: 'info' });
    const done = finished(child);
    const startedAt = Date.now();
    let status = 0;
    try {
      while (Date.now() - startedAt < 60_000) {
        status = await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.status, () => 0);
        if (status === 200) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(status).toBe(200);
    } finally {
      // Stopped whatever happened: a server left running would hold the database the next tests use.
      child.kill('SIGTERM');
    }
    const { code, stdout } = await done;
    expect(code).toBe(0);
    // Logs are JSON lines and say where it listens, without the database credentials.
    const listening = stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { msg: string; url?: string }).find((l) => l.msg === 'listening');
    expect(listening?.url).toBe(`http://127.0.0.1:${port}`);
  });

  it('refuses to start on a bad variable, naming it', async () => {
    const { code, stderr } = await finished(runTs('src/main.ts', [], { DATABASE_URL: testDb.url, PORT: 'not-a-port' }));
    expect(code).toBe(1);
    expect(stderr).toMatch(/guichet: cannot start: config: invalid environment:\n {2}PORT: Expected number/);
  });

  // Express 5 hands a taken port to the listen callback instead of an 'error' event: the start used to
  // resolve with a server that never listened, and the process ran on, answering nothing.
  it('exits with a message when its port is taken', { timeout: 90_000 }, async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as AddressInfo).port;
    try {
      const child = runTs('src/main.ts', [], { DATABASE_URL: testDb.url, PORT: String(port), HOST: '127.0.0.1', CHANNELS: 'web', SLA_TICK_SECONDS: '0' });
      // Bounded: before the fix the process never exits, and the test must fail rather than wait forever.
      const killer = setTimeout(() => child.kill('SIGKILL'), 75_000);
      const { code, stderr } = await finished(child);
      clearTimeout(killer);
      expect(code).toBe(1);
      expect(stderr).toContain(`guichet: cannot start: server: cannot listen on 127.0.0.1:${port}: listen EADDRINUSE`);
    } finally {
      taken.close();
    }
  });

  it('refuses production with Teams enabled and no credentials', async () => {
    const { code, stderr } = await finished(
      runTs('src/main.ts', [], { DATABASE_URL: testDb.url, NODE_ENV: 'production', CHANNELS: 'web,teams', MicrosoftAppId: '', MicrosoftAppPassword: '' }),
    );
    expect(code).toBe(1);
    expect(stderr).toContain('MicrosoftAppId: required in production when Teams is enabled');
  });
});

// Each run starts the whole bot (classifier training, knowledge sync): seconds on a busy machine.
describe('npm run chat (src/cli/chat.ts)', { timeout: 90_000 }, () => {
  it('plays a scripted conversation from standard input', async () => {
    const child = runTs('src/cli/chat.ts', ['--db', testDb.url, '--user', 'bob'], {});
    const done = finished(child);
    child.stdin?.end('bonjour\naide\n2\nbonjour\n');
    const { code, stdout, stderr } = await done;
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const turns = stdout.trimEnd().split('\n\n');
    expect(turns[0]).toMatch(/^Bonjour bob ! Je suis Guichet/);
    expect(turns[1]).toContain('Ce que je sais faire');
    expect(turns[1]).toContain('Langue / Language\n  1. Français\n  2. English');
    // "2" picked the second option: English.
    expect(turns[2]).toBe('Sure, I’ll continue in English.');
    // A greeting is answered in the language it was said in (issue 14): "bonjour" gets French.
    expect(turns[3]).toMatch(/^Rebonjour bob !/);
  });

  it('forces the language with --lang and resumes the same conversation in a later run', async () => {
    const first = runTs('src/cli/chat.ts', ['--db', testDb.url, '--user', 'carol', '--lang', 'en'], {});
    const firstDone = finished(first);
    first.stdin?.end('bonjour\n');
    expect((await firstDone).stdout).toMatch(/^Hello carol!/);

    const second = runTs('src/cli/chat.ts', ['--db', testDb.url, '--user', 'carol'], {});
    const secondDone = finished(second);
    second.stdin?.end('salut\n');
    // Same conversation: Guichet already introduced itself.
    expect((await secondDone).stdout).toMatch(/^Rebonjour carol/);
  });

  it('rejects an unknown --lang', async () => {
    const { code, stderr } = await finished(runTs('src/cli/chat.ts', ['--db', testDb.url, '--lang', 'de'], {}));
    expect(code).toBe(1);
    expect(stderr).toBe('chat: --lang must be "fr" or "en" (got "de") [cli.invalid-option]\n');
  });
});

describe('the command-line runner (src/cli/run.ts), shared by chat, kb and db', () => {
  it('exits 64 with the usage on a wrong use', async () => {
    const { code, stderr } = await finished(runTs('src/cli/db.ts', ['frobnicate'], { DATABASE_URL: testDb.url }));
    expect(code).toBe(64);
    expect(stderr).toBe('usage: tsx src/cli/db.ts deploy | status | new <name> [--empty] | diff | export-user <id|email> [--out file] | erase-user <id|email> --yes\n');
  });

  it('prints a mistyped option as one line, without a stack', async () => {
    const { code, stderr } = await finished(runTs('src/cli/kb.ts', ['lint', '--frob'], { DATABASE_URL: testDb.url }));
    expect(code).toBe(1);
    expect(stderr).toMatch(/^Unknown option '--frob'\./);
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
  });

  it('refuses a malformed setting, read through src/config.ts, with its code', async () => {
    const { code, stderr } = await finished(runTs('src/cli/kb.ts', ['lint'], { DEFAULT_LOCALE: 'de' }));
    expect(code).toBe(1);
    expect(stderr).toMatch(/^config: invalid environment:\n {2}DEFAULT_LOCALE: .*\(got "de"\) \[config\.invalid\]\n$/);
  });
});
