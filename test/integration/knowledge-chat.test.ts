/**
 * The knowledge base in conversation, as Guichet runs it: the shipped
 * knowledge folder synced into a real database at start-up, questions with
 * typos and abbreviations in French and English, disambiguation, no answer
 * (a knowledge gap), ratings that move the ranking, and admins' curation in
 * chat (refused to everyone else).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TurnResult } from '../../src/core/handle-turn.ts';
import type { OutboundMessage } from '../../src/core/messages.ts';
import { createGuichet, type Guichet } from '../../src/app/guichet.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { FakeClock } from '../helpers/fake-channel.ts';

let testDb: TestDatabase;
let guichet: Guichet;
let sequence = 0;

beforeAll(async () => {
  testDb = await createTestDatabase();
  guichet = await createGuichet({ databaseUrl: testDb.url, defaultLang: 'fr', knowledgeDir: 'knowledge', configDir: 'config', clock: new FakeClock() });
}, 60_000);

afterAll(async () => {
  await guichet?.close();
  await testDb?.cleanup();
});

/** One user message through the core; `deliveryId` repeats a delivery. */
function say(who: string, text: string, deliveryId = `d-${++sequence}`): Promise<TurnResult> {
  return guichet.turn({ channel: 'web', deliveryId, user: { externalId: who, displayName: who }, conversation: { externalId: `c-${who}` }, text });
}

function article(replies: OutboundMessage[]) {
  const found = replies.find((r) => r.type === 'article');
  return found?.type === 'article' ? found.article : undefined;
}

function choices(replies: OutboundMessage[]) {
  const found = replies.find((r) => r.type === 'choices');
  return found?.type === 'choices' ? found.choices : [];
}

async function makeAdmin(who: string): Promise<void> {
  const { userId } = await say(who, 'bonjour');
  await testDb.db.client.user.update({ where: { id: userId! }, data: { role: 'admin' } });
}

describe('knowledge in conversation', () => {
  it('synced the shipped folder at start-up: 120 article versions, all published', async () => {
    expect(guichet.knowledgeSync?.errors).toEqual([]);
    expect(guichet.knowledgeSync?.created).toHaveLength(120);
    expect(await testDb.db.client.article.count({ where: { status: 'published' } })).toBe(120);
  });

  it.each([
    ['fr', 'mdp oublié', 'FAQ-0002'],
    ['fr', 'ma boite mail est pleine', 'FAQ-0014'],
    ['fr', 'ecran noir sur le dock apres la veille', 'KE-0008'],
    ['en', 'forgoten password', 'FAQ-0002'],
    ['en', 'my mailbox is almost ful', 'FAQ-0014'],
    ['en', 'new laptop for a new hire', 'FAQ-0030'],
  ] as const)('answers in %s "%s" with %s, in that language, and asks whether it fixed it', async (lang, query, id) => {
    const { replies } = await say(`typo-${lang}-${id}`, query);
    expect(article(replies)).toMatchObject({ id, lang });
    expect(choices(replies).map((c) => c.value)).toHaveLength(2);
  });

  it('offers close articles as choices, and shows the one picked by its number', async () => {
    // Two problems in one question: the lockout and the expired password (FAQ-0003, FAQ-0001) are both offered.
    const first = await say('chooser', 'compte verrouillé ou mot de passe expiré ?');
    const options = choices(first.replies);
    expect(options.length).toBeGreaterThanOrEqual(3);
    expect(options.map((o) => o.label)).toContain('Compte bloqué après trop d\'erreurs de mot de passe');
    const position = options.findIndex((o) => o.label.startsWith('Compte bloqué')) + 1;
    const second = await say('chooser', String(position));
    expect(article(second.replies)).toMatchObject({ id: 'FAQ-0003', lang: 'fr' });
  });

  it('says so when nothing is good enough, and stores the question as a knowledge gap once per delivery', async () => {
    const question = 'Quelle est la recette de la tarte tatin ?';
    const { replies, conversationId } = await say('gap', question, 'gap-delivery');
    expect(article(replies)).toBeUndefined();
    expect(replies[0]).toMatchObject({ type: 'text', text: expect.stringMatching(/pas trouvé de réponse fiable/) });
    await say('gap', question, 'gap-delivery'); // a retried delivery
    const gaps = await testDb.db.client.unansweredQuery.findMany({ where: { conversationId: conversationId! } });
    expect(gaps.map((g) => g.text)).toEqual([question]);
  });

  it('stores a rating once per delivery, and ratings move an article up (bounded)', async () => {
    const query = 'my account is locked';
    const scores = () => new Map(guichet.knowledge!.search(query, { lang: 'en' }).map((h) => [h.article.id, h.score]));
    const before = scores();

    for (let i = 0; i < 6; i += 1) {
      const who = `rater-${i}`;
      const pick = await say(who, query);
      const shown = article(pick.replies);
      if (shown?.id !== 'FAQ-0003') {
        const position = choices(pick.replies).findIndex((o) => o.label.startsWith('My account is locked after')) + 1;
        expect(position).toBeGreaterThan(0);
        expect(article((await say(who, String(position))).replies)?.id).toBe('FAQ-0003');
      }
      await say(who, 'yes', `rate-${i}`);
      await say(who, 'yes', `rate-${i}`); // retried: counted once
    }
    const ratings = await testDb.db.client.answerFeedback.findMany({ where: { article: { articleId: 'FAQ-0003' } } });
    expect(ratings).toHaveLength(6);
    expect(ratings.every((r) => r.helpful && r.query === query)).toBe(true);

    await guichet.knowledge!.refresh();
    const after = scores();
    // Six 👍 against a prior of five neutral votes: +20 % × 6/11 on the rated article, nothing on the others.
    expect(after.get('FAQ-0003')! / before.get('FAQ-0003')!).toBeCloseTo(1 + 0.2 * (6 / 11), 5);
    expect(after.get('KE-0012')).toBeCloseTo(before.get('KE-0012')!, 5);
  });

  it('records "not helpful" without moving the conversation anywhere odd', async () => {
    // The ratings above moved "account locked" up, close to the password article: picked from the choices if offered.
    const first = await say('unhappy', 'forgoten password');
    if (article(first.replies)?.id !== 'FAQ-0002') {
      const position = choices(first.replies).findIndex((o) => o.label.startsWith('Forgot my password')) + 1;
      expect(position).toBeGreaterThan(0);
      expect(article((await say('unhappy', String(position))).replies)?.id).toBe('FAQ-0002');
    }
    const { replies } = await say('unhappy', 'no');
    expect(replies[0]).toMatchObject({ type: 'text', text: expect.stringMatching(/^Sorry/) });
    const rows = await testDb.db.client.answerFeedback.findMany({ where: { helpful: false } });
    expect(rows.map((r) => r.query)).toContain('forgoten password');
  });
});

describe('curation in chat', () => {
  const draft = [
    'kb draft',
    '---',
    'id: FAQ-0101',
    'type: faq',
    'lang: en',
    'title: "Order a second charger for the office"',
    'tags: [charger, power adapter, spare]',
    'services: [workstation]',
    'symptoms: ["I need a spare charger", "second power adapter for my desk"]',
    'status: draft',
    'updated: 2026-11-23',
    '---',
    'Ask for a spare USB-C charger in Company Portal: **Hardware › Chargers**. It arrives at your office within 3 working days.',
  ].join('\n');

  it('refuses every kb command to a non-admin, on the server, and changes nothing', async () => {
    await say('employee', 'bonjour');
    for (const command of ['kb publish FAQ-0002', 'kb retirer FAQ-0002', draft, 'kb search vpn']) {
      const { replies } = await say('employee', command);
      expect(replies).toEqual([{ type: 'text', text: expect.stringMatching(/Seuls les administrateurs|Only administrators/) }]);
    }
    expect(await testDb.db.client.article.count({ where: { articleId: 'FAQ-0101' } })).toBe(0);
    expect(await testDb.db.client.article.count({ where: { articleId: 'FAQ-0002', status: 'published' } })).toBe(2);
  });

  it('takes a message that only begins with the letters kb (a Windows update number) as a question, not a kb command', async () => {
    const { replies } = await say('employee', 'KB5034441 ne s’installe pas');
    expect(replies.map((r) => (r.type === 'text' ? r.text : r.type))).not.toContainEqual(expect.stringMatching(/Seuls les administrateurs|Only administrators/));
  });

  it('lets an admin draft, publish and retire an article, and users\' search follows', async () => {
    await makeAdmin('admin');
    const saved = await say('admin', draft);
    expect(saved.replies[0]).toMatchObject({ type: 'markdown', markdown: expect.stringContaining('FAQ-0101') });
    expect(article((await say('user-a', 'I need a spare charger for my desk')).replies)?.id).not.toBe('FAQ-0101');

    const published = await say('admin', 'kb publish FAQ-0101 en');
    expect(published.replies[0]).toMatchObject({ type: 'text', text: expect.stringContaining('FAQ-0101') });
    expect(article((await say('user-b', 'I need a spare charger for my desk')).replies)?.id).toBe('FAQ-0101');

    await say('admin', 'kb retire FAQ-0101');
    expect(article((await say('user-c', 'I need a spare charger for my desk')).replies)?.id).not.toBe('FAQ-0101');
    const revisions = await testDb.db.client.articleRevision.count({ where: { article: { articleId: 'FAQ-0101' } } });
    expect(revisions).toBe(3);
  });

  it('rejects an invalid article with the field and the problem, and stores nothing', async () => {
    const { replies } = await say('admin', draft.replace('FAQ-0101', 'FAQ-0102').replace('services: [workstation]', 'services: [coffee-machine]'));
    expect(replies[0]).toMatchObject({ type: 'markdown', markdown: expect.stringMatching(/services[\s\S]*coffee-machine/) });
    expect(await testDb.db.client.article.count({ where: { articleId: 'FAQ-0102' } })).toBe(0);
  });

  it('drafts an FAQ from a resolved ticket for review (not published), and refuses an open one', async () => {
    const requester = await testDb.db.client.user.create({ data: { displayName: 'Chloé Bernard' } });
    const base = { type: 'incident', category: 'workstation', serviceId: null, impact: 3, urgency: 3, priority: 5, requesterId: requester.id, diagnosis: {} };
    await testDb.db.client.ticket.create({
      data: { ...base, number: 5001, title: 'Webcam image is upside down', description: 'My webcam shows me upside down in Teams since this morning.', status: 'resolved', resolution: 'Open Camera settings in Windows and set Rotation to 180°.' },
    });
    await testDb.db.client.ticket.create({ data: { ...base, number: 5002, title: 'Keyboard missing keys', description: 'Two keys fell off.', status: 'in-progress' } });

    const { replies } = await say('admin', 'kb from-ticket 5001 workstation');
    expect(replies[0]).toMatchObject({ type: 'markdown', markdown: expect.stringContaining('#5001') });
    const drafted = await testDb.db.client.article.findFirst({ where: { title: 'Webcam image is upside down' } });
    expect(drafted).toMatchObject({ status: 'draft', type: 'faq' });
    expect(drafted?.body).toContain('Rotation to 180°');
    expect(article((await say('user-d', 'webcam image upside down')).replies)?.title).not.toBe('Webcam image is upside down');

    const refused = await say('admin', 'kb from-ticket 5002');
    expect(refused.replies[0]).toMatchObject({ type: 'text', text: expect.stringContaining('5002') });
  });
});
