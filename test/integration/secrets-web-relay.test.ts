/**
 * A password said as a plain word (« mon mdp c'est marmotte ça marche pas », no digit, issue #19) typed in
 * the real web chat over HTTP while an agent is live in the escalation card's Teams thread (the fake Bot
 * Connector): masked in the answer, the visitor's history, every table, what is relayed to the agents'
 * thread and every log line (debug level, captured); the user warned once and offered the reset.
 */
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SECRET_MASK } from '../../src/core/secrets.ts';
import { rowsContaining } from '../helpers/every-row.ts';
import { Browser } from '../helpers/http.ts';
import { channelActivity } from '../helpers/teams-activity.ts';
import { AGENTS_CHANNEL, bruno, startWithTeamsAgent, type TeamsAgentDesk } from '../journeys/teams-agent-desk.ts';

const PASSWORD = 'marmotte';
const logged: string[] = [];
const sink = new Writable({
  write(chunk, _encoding, done) {
    logged.push(String(chunk));
    done();
  },
});
let desk: TeamsAgentDesk;

beforeAll(async () => {
  desk = await startWithTeamsAgent('web,teams', { level: 'debug', destination: sink });
}, 60_000);

afterAll(async () => {
  await desk?.stop();
});

/** Every text the fake Bot Connector received in the card's thread. */
const threadTexts = (thread: string): string[] =>
  desk.fake
    .activities()
    .filter((a) => a.conversation?.id === thread)
    .map((a) => String(a.text ?? JSON.stringify(a.attachments ?? '')));

describe('a password without digits typed in the web chat while an agent is live', () => {
  it('is masked in the answer, the history, the database, the agents’ thread and the logs', async () => {
    const { running, testDb, fake } = desk;
    const browser = new Browser(running.url);
    const asked = await (await browser.postJson('/api/web/messages', { id: randomUUID(), text: 'je veux parler à un humain' })).json();
    const number = Number(/#(\d+)/.exec(JSON.stringify(asked.replies))![1]);
    const card = await testDb.db.client.escalationPost.findFirstOrThrow({ where: { ticket: { number }, platform: 'teams' } });
    const thread = card.threadKey?.split('|')[2];
    if (!thread) throw new Error(`no Teams thread for the card of #${number}: ${card.threadKey}`);
    await desk.post(channelActivity(fake.url, bruno, { thread, channelId: AGENTS_CHANNEL }, `prendre ${number}`));
    expect((await testDb.db.client.ticket.findUniqueOrThrow({ where: { number } })).assigneeId).not.toBeNull();

    const before = threadTexts(thread).length;
    const response = await browser.postJson('/api/web/messages', { id: randomUUID(), text: `mon mdp c'est ${PASSWORD} ça marche pas` });
    expect(response.status).toBe(200);
    const said = JSON.stringify((await response.json()).replies);
    expect(said).toMatch(/J'ai masqué ce qui ressemblait à un mot de passe/);
    expect(said).toMatch(/considéré comme compromis/);
    expect(said).toContain('réinitialiser mon mot de passe');
    expect(said).not.toContain(PASSWORD);

    // Relayed to Bruno's thread, masked (Teams Markdown escapes the mask's brackets).
    await expect.poll(() => threadTexts(thread).slice(before).join('\n')).toMatch(/^Le demandeur \(nom inconnu\)\s?: mon mdp c'est \\?\[•••\\?\] ça marche pas$/m);
    expect(threadTexts(thread).join('\n')).not.toContain(PASSWORD);

    const history = await (await browser.request('/api/web/history')).json();
    expect(JSON.stringify(history)).toContain(`mon mdp c'est ${SECRET_MASK} ça marche pas`);
    expect(JSON.stringify(history)).not.toContain(PASSWORD);
    const lines = await testDb.db.client.message.findMany({ where: { direction: 'in', conversation: { channel: 'web' } }, orderBy: { createdAt: 'asc' } });
    expect(lines.map((l) => l.text)).toContain(`mon mdp c'est ${SECRET_MASK} ça marche pas`);
    expect(await rowsContaining(testDb.db, PASSWORD)).toEqual({});

    expect(logged.length).toBeGreaterThan(0);
    expect(logged.join('')).not.toContain(PASSWORD);
  }, 60_000);
});
