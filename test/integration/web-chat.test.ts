import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { start, type Running } from '../../src/main.ts';
import { createTestDatabase } from '../helpers/database.ts';
import { Browser } from '../helpers/http.ts';

let running: Running;
let testDb: Awaited<ReturnType<typeof createTestDatabase>>;

beforeAll(async () => {
  testDb = await createTestDatabase();
  running = await start(loadConfig({ DATABASE_URL: testDb.url, PORT: '0', LOG_LEVEL: 'silent', CHANNELS: 'web' }));
});

afterAll(async () => {
  await running?.stop();
  await testDb?.cleanup();
});

const say = (browser: Browser, text: string, id = randomUUID()) => browser.postJson('/api/web/messages', { id, text });

describe('web chat over HTTP', () => {
  it('serves /healthz', async () => {
    const response = await fetch(`${running.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('serves the chat page with a strict content security policy', async () => {
    const response = await fetch(`${running.url}/`);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('<div class="log" role="log" aria-live="polite" aria-label="Conversation"><ol id="log" class="messages">');
    expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
  });

  it('answers bonjour in French and hello in English, in separate visitors', async () => {
    const french = new Browser(running.url);
    const fr = await say(french, 'bonjour');
    expect(fr.status).toBe(200);
    const frBody = await fr.json();
    expect(frBody.lang).toBe('fr');
    expect(frBody.replies[0]).toEqual({ type: 'text', text: expect.stringMatching(/^Bonjour ! Je suis Guichet/) });
    expect(french.cookie('guichet_visitor')).toMatch(/^[A-Za-z0-9_-]{22,}$/);

    const english = new Browser(running.url);
    const enBody = await (await say(english, 'hello')).json();
    expect(enBody.lang).toBe('en');
    expect(enBody.replies[0].text).toMatch(/^Hello! I’m Guichet/);
  });

  it('renders help as safe HTML with language buttons', async () => {
    const browser = new Browser(running.url);
    const body = await (await say(browser, 'aide')).json();
    expect(body.replies[0].type).toBe('html');
    expect(body.replies[0].html).toContain('<strong>Ce que je sais faire</strong>');
    expect(body.replies[1]).toEqual({ type: 'choices', text: 'Langue / Language', choices: [{ label: 'Français', value: 'français' }, { label: 'English', value: 'english' }] });
  });

  it('answers a resent message id once, and the history holds it once', async () => {
    const browser = new Browser(running.url);
    const id = randomUUID();
    const first = await (await say(browser, 'bonjour', id)).json();
    const again = await (await say(browser, 'bonjour', id)).json();
    expect(again.duplicate).toBe(true);
    expect(again.replies).toEqual(first.replies);
    const history = await (await browser.request('/api/web/history')).json();
    expect(history.messages.map((m: { from: string }) => m.from)).toEqual(['user', 'bot']);
    expect(history.messages[0].message).toEqual({ type: 'text', text: 'bonjour' });
  });

  it('keeps the conversation and its language across turns and stores it in the database', async () => {
    const browser = new Browser(running.url);
    await say(browser, 'bonjour');
    await say(browser, 'english');
    const body = await (await say(browser, 'aide')).json();
    expect(body.lang).toBe('en');
    const history = await (await browser.request('/api/web/history')).json();
    expect(history.messages).toHaveLength(7);
    const visitor = browser.cookie('guichet_visitor')!;
    const conversation = await testDb.db.client.conversation.findUniqueOrThrow({
      where: { channel_tenantId_externalId: { channel: 'web', tenantId: '', externalId: visitor } },
      include: { messages: true, user: true },
    });
    expect(conversation.version).toBe(3);
    expect(conversation.messages).toHaveLength(7);
    expect(conversation.user?.locale).toBe('en');
  });

  it('stores hostile text as text, byte for byte', async () => {
    const browser = new Browser(running.url);
    const hostile = '<img src=x onerror=alert(1)> <!channel> e\u0301 👩🏽‍💻';
    await say(browser, hostile);
    const history = await (await browser.request('/api/web/history')).json();
    expect(history.messages[0].message).toEqual({ type: 'text', text: hostile });
  });

  it('refuses cross-site, non-JSON, malformed and oversized posts without storing anything', async () => {
    const browser = new Browser(running.url);
    await browser.request('/api/web/session');
    const before = await testDb.db.client.message.count();
    const crossSite = await browser.postJson('/api/web/messages', { id: randomUUID(), text: 'hi' }, { origin: 'http://evil.test' });
    expect(crossSite.status).toBe(403);
    const fetchSite = await browser.postJson('/api/web/messages', { id: randomUUID(), text: 'hi' }, { 'sec-fetch-site': 'cross-site' });
    expect(fetchSite.status).toBe(403);
    const plain = await browser.request('/api/web/messages', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'hi' });
    expect(plain.status).toBe(415);
    const broken = await browser.request('/api/web/messages', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"id": ' });
    expect(broken.status).toBe(400);
    const badId = await browser.postJson('/api/web/messages', { id: 'x', text: 'hi' });
    expect(badId.status).toBe(400);
    expect(await badId.json()).toMatchObject({ error: 'invalid-message', field: 'id' });
    const huge = await browser.postJson('/api/web/messages', { id: randomUUID(), text: 'x'.repeat(70_000) });
    expect(huge.status).toBe(413);
    expect(await testDb.db.client.message.count()).toBe(before);
  });

  it('answers unknown API paths with 404 JSON', async () => {
    const response = await fetch(`${running.url}/api/nothing-here`);
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: 'not-found' });
  });
});

describe('web chat notices', () => {
  it('delivers what Guichet says later (a status change) to the visitor’s page, once', async () => {
    const browser = new Browser(running.url);
    await (await say(browser, 'open a ticket: my second screen stays black')).json();
    const history = await (await browser.get('/api/web/history')).json();
    const since = history.messages.at(-1).at as string;
    const conversation = await testDb.db.client.conversation.findFirstOrThrow({ where: { channel: 'web' }, orderBy: { createdAt: 'desc' } });
    expect(conversation.reference).toEqual({ tenantId: '', externalId: browser.cookie('guichet_visitor') });
    const ticket = await testDb.db.client.ticket.findFirstOrThrow({ where: { conversationId: conversation.id } });
    const agent = await testDb.db.client.user.findFirstOrThrow({ where: { email: 'bruno.petit@example.org' } });
    // An agent takes the ticket from elsewhere (Teams, Slack): the requester is told.
    const notices = async () => (await (await browser.get(`/api/web/notices?after=${encodeURIComponent(since)}`)).json()).messages;
    expect(await notices()).toEqual([]);
    await running.guichet.desk!.take(ticket.number, { id: agent.id, role: 'agent' });
    const fresh = await notices();
    expect(fresh.map((m: { message: { type: string } }) => m.message.type)).toEqual(['text', 'text']);
    expect(JSON.stringify(fresh)).toContain(`#${ticket.number}`);
    const later = fresh.at(-1).at as string;
    expect((await (await browser.get(`/api/web/notices?after=${encodeURIComponent(later)}`)).json()).messages).toEqual([]);
  });
});
