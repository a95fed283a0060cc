/**
 * The directory in a conversation, on the in-memory directory: the guide as usual when no platform
 * vouches for the person, a wrong answer to the yes/no asked again, "annuler" while a code is awaited,
 * a refusal after the offer handing over to the ordinary guide, and a failure without a ticket desk.
 */
import { describe, expect, it } from 'vitest';
import type { ConversationState } from '../../../src/core/state.ts';
import type { TurnContext, TurnModule, TurnReply } from '../../../src/core/turn-module.ts';
import { createDirectoryModules, type DirectoryTicket } from '../../../src/directory/chat.ts';
import type { ChatIdentity } from '../../../src/directory/identity.ts';
import { actionsWorld, slack } from './world.ts';

/** The flows module as the directory sees it: it says which guide it started. */
const flows: TurnModule = {
  name: 'flows',
  handle: async (ctx) => (ctx.intent?.name ? { replies: [{ type: 'text', text: `guide ${ctx.intent.name}: ${ctx.text}` }], state: { ...ctx.state, flow: { flowId: ctx.intent.name } } } : undefined),
};

function setup(identity: ChatIdentity | undefined) {
  const world = actionsWorld();
  const tickets: DirectoryTicket[] = [];
  const modules = createDirectoryModules({
    actions: world.actions,
    identityOf: async () => identity,
    mfa: true,
    tickets: { open: async (t) => tickets.push(t) + 1000, resolve: async () => undefined },
  });
  const guides = modules.guides(flows);
  let state: ConversationState = { greeted: true };
  let delivery = 0;
  const say = async (text: string, intent?: string): Promise<{ text: string; reply: TurnReply | undefined }> => {
    const ctx: TurnContext = {
      user: { id: 'u1', displayName: 'U', role: 'employee', locale: 'en' }, lang: 'en', text, state, conversationId: 'c1', conversationKind: 'personal', channel: 'slack',
      origin: `slack:Ev${++delivery}`, now: new Date(), takeFiles: () => [], keepFiles: () => undefined, ...(intent ? { intent: { name: intent, confidence: 0.9 } } : {}),
    };
    const reply = (await modules.waiting.handle(ctx)) ?? (await guides.handle(ctx));
    if (reply) state = reply.state;
    return { text: (reply?.replies ?? []).map((r) => ('text' in r ? r.text : '')).join('\n'), reply };
  };
  return { world, tickets, say, state: () => state };
}

describe('the directory chat module', () => {
  it('leaves the guide as it is when no platform vouches for the person', async () => {
    const { say, world } = setup(undefined);
    expect((await say('my account is locked', 'password')).text).toBe('guide password: my account is locked');
    expect(world.audit.entries).toEqual([]);
  });

  it('asks the yes/no again after another answer, then unlocks on yes and opens the automation request', async () => {
    const { say, tickets, world } = setup(slack('bob@example.org'));
    expect((await say('my account is locked', 'password')).text).toContain('it is locked after too many password attempts');
    expect((await say('what is the weather')).text).toContain('Answer "Yes" or "No"');
    expect((await say('yes')).text).toContain('Your account is unlocked');
    expect(world.directory.accounts.get('bob')!.status.locked).toBe(false);
    expect(tickets.map((t) => t.kind)).toEqual(['automated']);
  });

  it('"cancel" while the code is awaited changes nothing', async () => {
    const { say, world, state } = setup(slack('alice@example.org'));
    await say('forgot my password', 'password');
    expect((await say('yes')).text).toContain('a 6-digit code has just been sent');
    expect((await say('cancel')).text).toContain('Request cancelled');
    expect(state().directory).toBeUndefined();
    expect(world.audit.entries.map((e) => e.result)).toEqual(['done', 'code-sent']);
  });

  it('a refusal after the offer goes on with the ordinary guide', async () => {
    const { say } = setup(slack('carol@example.org'));
    expect((await say('my password expired', 'password')).text).toContain('your password has expired');
    const refused = await say('yes');
    expect(refused.text).toContain('No second contact is registered for you');
    expect(refused.text).toContain('guide password: my password expired');
  });

  it('a directory down: said, and no ticket without a desk', async () => {
    const world = actionsWorld();
    world.directory.unreachable = true;
    const modules = createDirectoryModules({ actions: world.actions, identityOf: async () => slack('bob@example.org'), mfa: false });
    const guides = modules.guides(flows);
    const reply = await guides.handle({
      user: { id: 'u1', displayName: 'U', role: 'employee', locale: 'en' }, lang: 'en', text: 'locked out', state: { greeted: true }, conversationId: 'c1', conversationKind: 'personal',
      channel: 'slack', origin: 'slack:Ev1', now: new Date(), takeFiles: () => [], keepFiles: () => undefined, intent: { name: 'password', confidence: 0.9 },
    });
    expect(reply?.replies).toEqual([{ type: 'text', text: expect.stringContaining('The directory is not answering right now') }]);
    expect(reply?.state.directory).toBeUndefined();
  });
});
