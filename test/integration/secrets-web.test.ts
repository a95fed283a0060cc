/**
 * A password typed in the web chat, over HTTP: masked in the answer's history and the database, the reset
 * offered; and one typed in the portal's "add information" form, masked on the ticket.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { SECRET_MASK } from '../../src/core/secrets.ts';
import { start, type Running } from '../../src/main.ts';
import { createTestDatabase } from '../helpers/database.ts';
import { rowsContaining } from '../helpers/every-row.ts';
import { Browser } from '../helpers/http.ts';

let running: Running;
let testDb: Awaited<ReturnType<typeof createTestDatabase>>;

beforeAll(async () => {
  testDb = await createTestDatabase();
  running = await start(loadConfig({ DATABASE_URL: testDb.url, PORT: '0', LOG_LEVEL: 'silent', CHANNELS: 'web', SLA_TICK_SECONDS: '0', WEB_DEV_SIGNIN: 'true' }));
}, 60_000);

afterAll(async () => {
  await running?.stop();
  await testDb?.cleanup();
});

describe('a secret typed in the web chat', () => {
  it('is masked in the history and every table, the user warned and offered the reset', async () => {
    const browser = new Browser(running.url);
    const response = await browser.postJson('/api/web/messages', { id: randomUUID(), text: "mon mdp c'est Soleil2024! ça marche pas" });
    expect(response.status).toBe(200);
    const body = await response.json();
    const said = JSON.stringify(body.replies);
    expect(said).toMatch(/J'ai masqué ce qui ressemblait à un mot de passe/);
    expect(said).toMatch(/considéré comme compromis/);
    expect(said).not.toContain('Soleil2024');

    const history = await (await browser.request('/api/web/history')).json();
    expect(history.messages[0]).toMatchObject({ from: 'user', message: { type: 'text', text: `mon mdp c'est ${SECRET_MASK} ça marche pas` } });
    expect(JSON.stringify(history)).not.toContain('Soleil2024');

    // A second secret: masked, the warning not repeated.
    const again = await (await browser.postJson('/api/web/messages', { id: randomUUID(), text: 'Authorization: Bearer abc123def456ghi789' })).json();
    expect(JSON.stringify(again.replies)).not.toMatch(/J'ai masqué/);
    expect(await rowsContaining(testDb.db, 'Soleil2024')).toEqual({});
    expect(await rowsContaining(testDb.db, 'abc123def456ghi789')).toEqual({});
    expect(Object.keys(await rowsContaining(testDb.db, SECRET_MASK))).toContain('message');
  });

  it('is masked when added to a ticket from the portal', async () => {
    const browser = new Browser(running.url);
    const form = await (await browser.get('/portal/signin')).text();
    const signin = /name="_csrf" value="([^"]+)"/.exec(form)![1]!;
    const body = new URLSearchParams({ _csrf: signin, email: 'alice.martin@example.org' }).toString();
    expect((await browser.request('/portal/signin', { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body })).status).toBe(303);
    // Alice opens a ticket in the chat as the signed-in person, then adds information from the portal.
    const opened = await (await browser.postJson('/api/web/messages', { id: randomUUID(), text: 'ouvrir un ticket : le scanner du 2e étage ne marche plus' })).json();
    const number = Number(/#(\d+)/.exec(JSON.stringify(opened.replies))![1]);
    const page = await (await browser.get(`/portal/tickets/${number}`)).text();
    const csrf = /name="csrf-token" content="([^"]+)"/.exec(page)![1]!;
    const added = await browser.postJson(`/portal/api/tickets/${number}/info`, { text: 'le code du scanner est demandé, mon mdp: Azerty!9', id: randomUUID() }, { 'x-csrf-token': csrf });
    expect(added.status).toBe(200);
    const events = await testDb.db.client.ticketEvent.findMany({ where: { ticket: { number }, kind: 'info' } });
    expect(events.map((e) => (e.data as { text: string }).text)).toEqual([`le code du scanner est demandé, mon mdp: ${SECRET_MASK}`]);
    expect(await rowsContaining(testDb.db, 'Azerty!9')).toEqual({});
  });
});
