/**
 * The desks at the entry points: a bad desks.yml stops the start naming the file, the desk and the
 * field; in the terminal chat, a user who asks for a person is told their position and expected
 * wait (or, the desk being closed, when it opens and when to expect an answer).
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GuichetError } from '../../src/core/errors.ts';
import { createGuichet } from '../../src/app/guichet.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { finished, runTs } from '../helpers/process.ts';

let testDb: TestDatabase;

beforeAll(async () => {
  testDb = await createTestDatabase();
}, 60_000);

afterAll(async () => {
  await testDb?.cleanup();
});

describe('start-up', () => {
  it('refuses a bad desks.yml, naming the file, the desk and the field', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'guichet-config-'));
    cpSync('config', dir, { recursive: true });
    writeFileSync(join(dir, 'desks.yml'), readFileSync('config/desks.yml', 'utf8').replace('    hours: lyon-site', '    hours: lyon-sight'));
    const started = createGuichet({ databaseUrl: testDb.url, defaultLang: 'fr', configDir: dir });
    await expect(started).rejects.toBeInstanceOf(GuichetError);
    await expect(started).rejects.toMatchObject({ code: 'config.invalid', message: expect.stringContaining(`${join(dir, 'desks.yml')}: desk "lyon", field "hours": unknown calendar "lyon-sight"`) });
  });
});

describe('npm run chat (src/cli/chat.ts)', { timeout: 90_000 }, () => {
  it('tells a user who asks for a person their position and expected wait', async () => {
    const child = runTs('src/cli/chat.ts', ['--db', testDb.url, '--user', 'alice.martin', '--lang', 'fr'], {});
    const done = finished(child);
    child.stdin?.end('je veux parler à un humain\nretour au bot\n');
    const { code, stdout, stderr } = await done;
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const [asked, left] = stdout.trimEnd().split('\n\n');
    // The real clock: open (position and wait) or closed (opening time, position, expected answer).
    expect(asked).toMatch(/Vous êtes en position 1 dans la file de .+ ; attente estimée : environ \d+ (min|h)|Le support ouvre .+ ; votre ticket est le #\d+\. .*Vous serez en position 1 dans la file : réponse attendue vers /s);
    expect(left).toMatch(/^Vous avez quitté la file/);
  });
});
