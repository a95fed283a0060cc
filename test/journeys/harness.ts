/**
 * Runs multi-turn journeys (journey.ts) through the real core: createGuichet on a real SQLite (or
 * PostgreSQL) database, the escalation cards posted to a recording Slack poster, what people are told
 * out of a turn recorded by a notifier. Every step checks what the speaker got back, what reached the
 * card's thread and what reached the requester, so a message between requester and agent that is lost
 * or answered by the bot fails the journey.
 */
import { expect } from 'vitest';
import { createGuichet, type Guichet } from '../../src/app/guichet.ts';
import { OutboundChannels } from '../../src/core/channel-contract.ts';
import type { TurnResult } from '../../src/core/handle-turn.ts';
import { renderPlainText } from '../../src/core/render-text.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { FakeClock } from '../helpers/fake-channel.ts';
import { RecordingNotifier } from '../helpers/recording-notifier.ts';
import { RecordingPoster } from '../helpers/recording-poster.ts';
import type { Journey, Step } from './journey.ts';

export const AGENTS = {
  bruno: { externalId: 'U0BRUNO', displayName: 'Bruno Petit', email: 'bruno.petit@example.org', locale: 'fr-FR' },
  sarah: { externalId: 'U0SARAH', displayName: 'Sarah Haddad', email: 'sarah.haddad@example.org', locale: 'en-GB' },
} as const;

export interface World {
  guichet: Guichet;
  db: TestDatabase;
  notifier: RecordingNotifier;
  poster: RecordingPoster;
  clock: FakeClock;
  close(): Promise<void>;
}

export async function openWorld(): Promise<World> {
  const db = await createTestDatabase();
  const clock = new FakeClock(new Date('2026-11-24T08:00:00Z')); // a Tuesday, 09:00 in Paris
  const notifier = new RecordingNotifier();
  const poster = new RecordingPoster('slack', (address, index) => ({ channelId: (address as { channelId: string }).channelId, ts: `1700000000.${String(index).padStart(6, '0')}` }));
  const guichet = await createGuichet({
    databaseUrl: db.url,
    defaultLang: 'fr',
    knowledgeDir: 'knowledge',
    configDir: 'config',
    dialogsDir: 'dialogs',
    clock,
    notifier,
    channels: new OutboundChannels([{ poster, threadKeyOf: (post) => `slack|T0ACME|${threadOf(post)}` }]),
    onError: (err, context) => {
      throw new Error(`${context}: ${String(err)}`);
    },
  });
  await db.db.client.groupChannel.create({ data: { groupId: 'service-desk', platform: 'slack', address: { teamId: 'T0ACME', channelId: 'C0DESK' } } });
  return { guichet, db, notifier, poster, clock, close: async () => { await guichet.close(); await db.cleanup(); } };
}

const threadOf = (post: unknown) => `${(post as { channelId: string }).channelId}:${(post as { ts: string }).ts}`;
const plain = (r: TurnResult) => r.replies.map(renderPlainText).join('\n');
let delivery = 0;

/** Plays a journey; `index` makes its requester a person of their own. */
export async function play(world: World, journey: Journey, index: number): Promise<void> {
  const requester = { externalId: `U0REQ${index}`, displayName: journey.requesterName === null ? undefined : (journey.requesterName ?? `Claire Requester${index}`), email: `claire.r${index}@example.org`, locale: journey.lang === 'en' ? 'en-GB' : 'fr-FR' };
  let number: number | undefined;
  const fill = (text: string) => text.replaceAll('{n}', String(number ?? 0));
  const requesterId = async () => (await world.db.db.client.user.findFirstOrThrow({ where: { email: requester.email } })).id;
  for (const [at, step] of journey.steps.entries()) {
    const where = `${journey.name} — step ${at + 1}`;
    world.clock.advance(20_000); // people take a few seconds to answer

    const threadBefore = world.poster.posted.filter((p) => p.kind === 'reply').length;
    const toldBefore = world.notifier.sent.length;
    let got = '';
    if ('user' in step) {
      const result = await world.guichet.turn({
        channel: 'slack', tenantId: 'T0ACME', deliveryId: `J${++delivery}`, user: requester,
        conversation: { externalId: `D-${requester.externalId}`, kind: 'personal' }, text: fill(step.user),
      });
      got = plain(result);
    } else if ('agent' in step) {
      const agent = AGENTS[step.as ?? 'bruno'];
      const card = number === undefined ? undefined : await cardOf(world, number);
      const inThread = step.where !== 'dm';
      if (inThread && !card) throw new Error(`${where}: no card posted for the journey's ticket`);
      const result = await world.guichet.turn({
        channel: 'slack', tenantId: 'T0ACME', deliveryId: `J${++delivery}`, user: agent,
        conversation: inThread ? { externalId: card!, kind: 'channel' } : { externalId: `D-${agent.externalId}`, kind: 'personal' },
        text: fill(step.agent),
      });
      got = plain(result);
    } else {
      await step.act(world, { number: () => number!, requesterId });
    }
    if (process.env.JOURNEY_TRACE) console.log(`${where}: ${JSON.stringify(got)}`);
    if (number === undefined) {
      const latest = await world.db.db.client.ticket.findFirst({ where: { requester: { email: requester.email } }, orderBy: { number: 'desc' } });
      number = latest?.number;
    }
    const thread = world.poster.posted.filter((p) => p.kind === 'reply').slice(threadBefore).flatMap((p) => p.messages.map(renderPlainText)).join('\n');
    await check(world, step, { got, thread, told: await toldTo(world, toldBefore, await requesterId().catch(() => '')), number, where, fill });
  }
}

async function toldTo(world: World, since: number, userId: string): Promise<string> {
  return world.notifier.sent.slice(since).filter((s) => s.userId === userId).flatMap((s) => s.messages.map(renderPlainText)).join('\n');
}

async function cardOf(world: World, number: number): Promise<string | undefined> {
  const posts = world.poster.posted.filter((p) => p.kind === 'post' && p.messages.some((m) => m.type === 'escalation' && m.escalation.ticket.number === number));
  return posts[0] ? threadOf(posts[0].post) : undefined;
}

export async function check(world: World, step: Step, seen: { got: string; thread: string; told: string; number: number | undefined; where: string; fill: (s: string) => string }): Promise<void> {
  const { where } = seen;
  const re = (r: RegExp) => new RegExp(seen.fill(r.source), r.flags);
  if (step.reply) expect(seen.got, `${where}: reply`).toMatch(re(step.reply));
  if (step.notReply) expect(seen.got, `${where}: reply`).not.toMatch(re(step.notReply));
  if (step.silent) expect(seen.got, `${where}: the bot answered a relayed message`).toBe('');
  if (step.thread) expect(seen.thread, `${where}: card's thread`).toMatch(re(step.thread));
  if (step.noThread) expect(seen.thread, `${where}: card's thread`).toBe('');
  if (step.told) expect(seen.told, `${where}: told to the requester`).toMatch(re(step.told));
  if (step.ticket) {
    expect(seen.number, `${where}: the journey has a ticket`).toBeDefined();
    const row = await world.db.db.client.ticket.findUniqueOrThrow({ where: { number: seen.number! }, include: { assignee: true } });
    const actual = { status: row.status, priority: row.priority, relay: row.relay, assignee: row.assignee?.displayName ?? null, urgency: row.urgency };
    expect(actual, `${where}: ticket`).toMatchObject(step.ticket);
  }
  if (step.events || step.noEvents) {
    const events = await world.db.db.client.ticketEvent.findMany({ where: { ticket: { number: seen.number! } }, orderBy: { createdAt: 'asc' } });
    const texts = events.map((e) => `${e.kind}: ${JSON.stringify(e.data)}`).join('\n');
    if (step.events) expect(texts, `${where}: timeline`).toMatch(re(step.events));
    if (step.noEvents) expect(texts, `${where}: timeline`).not.toMatch(re(step.noEvents));
  }
}
