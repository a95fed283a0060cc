import { describe, expect, it } from 'vitest';
import { handleTurn } from '../../../src/core/handle-turn.ts';
import { MemoryConversationStore, MemoryUserDirectory } from '../../../src/core/memory-stores.ts';
import { MAX_TEXT_LENGTH } from '../../../src/core/messages.ts';
import type { TurnContext, TurnModule } from '../../../src/core/turn-module.ts';
import { FakeChannel, memoryDeps } from '../../helpers/fake-channel.ts';

describe('handleTurn: greeting and language', () => {
  it('greets in French when the user says bonjour, by first name', async () => {
    const chat = new FakeChannel();
    const result = await chat.user('bonjour');
    expect(result.lang).toBe('fr');
    expect(chat.lastText()).toMatch(/^Bonjour Alice ! Je suis Guichet/);
  });

  it('greets in English when the user says hello', async () => {
    const chat = new FakeChannel();
    const result = await chat.user('Hello!');
    expect(result.lang).toBe('en');
    expect(chat.lastText()).toMatch(/^Hello Alice! I’m Guichet/);
  });

  it('says "hello again" on a second greeting in the same conversation', async () => {
    const chat = new FakeChannel();
    await chat.user('hi');
    await chat.user('hi');
    expect(chat.lastText()).toMatch(/^Hello again Alice!/);
  });

  it('does not greet platform ids as names', async () => {
    const chat = new FakeChannel(memoryDeps(), { externalId: 'U0123' });
    await chat.user('salut');
    expect(chat.lastText()).toMatch(/^Bonjour ! Je suis Guichet/);
  });

  it('does not greet a nameless visitor by a random id that happens to look like a word', async () => {
    // Web visitors have random ids; about one in a hundred is letters only, like this one.
    const chat = new FakeChannel(memoryDeps(), { externalId: 'gVGzzdghvglLOYlkFPBHjpSS' });
    await chat.user('bonjour');
    expect(chat.lastText()).toMatch(/^Bonjour ! Je suis Guichet/);
  });

  it('follows the language of each message until the user picks one', async () => {
    const chat = new FakeChannel();
    await chat.user('bonjour');
    await chat.user('what can you do');
    expect(chat.results.at(-1)?.lang).toBe('en');
    expect(chat.lastText()).toContain('What I can do');
  });

  it('keeps the language the user switched to, and remembers it on the user', async () => {
    const users = new MemoryUserDirectory();
    const chat = new FakeChannel(memoryDeps({ users }));
    await chat.user('bonjour');
    await chat.user('english please');
    expect(chat.lastText()).toBe('Sure, I’ll continue in English.');
    // A greeting is answered in kind (issue 14), the choice of English is kept.
    await chat.user('bonjour');
    expect(chat.results.at(-1)?.lang).toBe('fr');
    expect(chat.lastText()).toMatch(/^Rebonjour Alice !/);
    expect([...users.users.values()][0]?.locale).toBe('en');
    await chat.user('hello');
    expect(chat.lastText()).toMatch(/^Hello again Alice!/);
    await chat.user('en français');
    expect(chat.lastText()).toBe('Très bien, je continue en français.');
  });

  it('uses the language a channel forces over detection', async () => {
    const chat = new FakeChannel();
    const result = await chat.user('hello', { lang: 'fr' });
    expect(result.lang).toBe('fr');
    expect(chat.lastText()).toMatch(/^Bonjour Alice/);
  });

  it('falls back to the previous language when a message has no telling words', async () => {
    const chat = new FakeChannel();
    await chat.user('hello');
    await chat.user('???!!');
    expect(chat.results.at(-1)?.lang).toBe('en');
  });
});

describe('handleTurn: help', () => {
  it('answers aide in French with what it can do and a language choice', async () => {
    const chat = new FakeChannel();
    await chat.user('aide');
    const [help, choices] = chat.lastReplies();
    expect(help).toMatchObject({ type: 'markdown' });
    expect(help?.type === 'markdown' && help.markdown).toContain('Ce que je sais faire');
    expect(choices).toEqual({
      type: 'choices',
      text: 'Langue / Language',
      choices: [
        { label: 'Français', value: 'français' },
        { label: 'English', value: 'english' },
      ],
    });
  });

  it('answers help in English', async () => {
    const chat = new FakeChannel();
    await chat.user('help');
    expect(chat.lastText()).toContain('What I can do');
  });

  it('does not take a problem description that starts with "help" for the help command', async () => {
    const chat = new FakeChannel();
    await chat.user('help me with the printer on floor 3');
    expect(chat.lastText()).not.toContain('What I can do');
  });

  it('answers thanks without treating it as a problem', async () => {
    const chat = new FakeChannel();
    await chat.user('merci beaucoup');
    expect(chat.lastText()).toBe('Avec plaisir ! Autre chose ?');
  });
});

describe('handleTurn: storage and idempotency', () => {
  it('stores the inbound message and every reply in the transcript', async () => {
    const conversations = new MemoryConversationStore();
    const chat = new FakeChannel(memoryDeps({ conversations }));
    await chat.user('aide');
    const lines = await conversations.transcript({ channel: 'web', tenantId: '', externalId: 'c-u-alice' }, 10);
    expect(lines.map((l) => [l.direction, l.author, l.kind])).toEqual([
      ['in', 'user', 'text'],
      ['out', 'bot', 'markdown'],
      ['out', 'bot', 'choices'],
    ]);
    expect(lines[0]?.text).toBe('aide');
    expect(lines[2]?.text).toContain('1. Français');
  });

  it('answers a retried delivery with the first replies and stores nothing twice', async () => {
    const conversations = new MemoryConversationStore();
    const chat = new FakeChannel(memoryDeps({ conversations }));
    const first = await chat.user('bonjour', { deliveryId: 'evt-1' });
    const retry = await chat.user('bonjour', { deliveryId: 'evt-1' });
    expect(retry.duplicate).toBe(true);
    expect(retry.replies).toEqual(first.replies);
    const lines = await conversations.transcript({ channel: 'web', tenantId: '', externalId: 'c-u-alice' }, 10);
    expect(lines).toHaveLength(2);
    // The retry did not count as a second greeting.
    await chat.user('bonjour');
    expect(chat.lastText()).toMatch(/^Rebonjour/);
  });

  it('replays a turn that lost a race on the conversation instead of overwriting it', async () => {
    const conversations = new MemoryConversationStore();
    const deps = memoryDeps({ conversations });
    const base = { channel: 'web' as const, user: { externalId: 'u-bob' }, conversation: { externalId: 'c-bob' } };
    const results = await Promise.all(
      ['bonjour', 'aide', 'merci', 'english', 'hello'].map((text, i) => handleTurn(deps, { ...base, deliveryId: `race-${i}`, text })),
    );
    expect(results.every((r) => !r.duplicate)).toBe(true);
    const lines = await conversations.transcript({ channel: 'web', tenantId: '', externalId: 'c-bob' }, 100);
    expect(lines.filter((l) => l.direction === 'in')).toHaveLength(5);
    const conversation = conversations.conversations.get('web||c-bob');
    expect(conversation?.version).toBe(5);
  });

  it('tells the modules what a first contact created, in its first attempt only (a replay follows another turn on the conversation)', async () => {
    const seen: { origin: string; created: TurnContext['created'] }[] = [];
    const recorder: TurnModule = {
      name: 'recorder',
      async owns(ctx) {
        seen.push({ origin: ctx.origin, created: ctx.created });
        // The first contact's turn waits: the other turn commits first, and the first contact's is replayed.
        if (ctx.created) await new Promise((resolve) => setTimeout(resolve, 20));
        return undefined;
      },
      handle: async () => undefined,
    };
    const deps = memoryDeps({ modules: [recorder] });
    const base = { channel: 'web' as const, user: { externalId: 'u-carol' }, conversation: { externalId: 'c-carol' } };
    await Promise.all(['bonjour', 'aide'].map((text, i) => handleTurn(deps, { ...base, deliveryId: `first-${i}`, text })));
    expect(seen).toEqual([
      { origin: 'web:first-0', created: { user: true, conversation: true } },
      { origin: 'web:first-1', created: undefined },
      { origin: 'web:first-0', created: undefined },
    ]);
    // A known user in a new conversation: only the conversation is new.
    await handleTurn(deps, { channel: 'web', user: { externalId: 'u-carol' }, conversation: { externalId: 'c-carol-2' }, deliveryId: 'second', text: 'bonjour' });
    expect(seen.at(-1)).toEqual({ origin: 'web:second', created: { user: false, conversation: true } });
  });

  it('cuts very long messages for the conversation and keeps the whole text beside them', async () => {
    const conversations = new MemoryConversationStore();
    const chat = new FakeChannel(memoryDeps({ conversations }));
    const long = 'x'.repeat(MAX_TEXT_LENGTH + 500);
    await chat.user(long);
    const [line] = await conversations.transcript({ channel: 'web', tenantId: '', externalId: 'c-u-alice' }, 2);
    expect(line?.text).toBe(`${'x'.repeat(MAX_TEXT_LENGTH)} […]`);
    expect(line?.payload).toEqual({ fullText: long });
  });

  it('keeps Unicode byte-for-byte in the transcript', async () => {
    const conversations = new MemoryConversationStore();
    const chat = new FakeChannel(memoryDeps({ conversations }));
    const text = 'e\u0301cran \u202Egnp.exe 👩🏽‍💻 𝔘';
    await chat.user(text);
    const [line] = await conversations.transcript({ channel: 'web', tenantId: '', externalId: 'c-u-alice' }, 3);
    expect(line?.text).toBe(text);
  });

  it('rejects a malformed inbound message with a coded error naming the field', async () => {
    const deps = memoryDeps();
    await expect(
      handleTurn(deps, { channel: 'web', deliveryId: '', user: { externalId: 'u' }, conversation: { externalId: 'c' }, text: 'x' }),
    ).rejects.toMatchObject({ code: 'core.invalid-inbound', message: expect.stringContaining('"deliveryId"') });
  });
});
