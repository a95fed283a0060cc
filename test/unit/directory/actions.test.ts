import { describe, expect, it } from 'vitest';
import { MAX_CODES_PER_DAY } from '../../../src/directory/actions.ts';
import { describeOutcome } from '../../../src/directory/outcome-text.ts';
import { POLICY, actionsWorld, slack, teams } from './world.ts';

const alice = slack('alice@example.org');
const bob = slack('bob@example.org');

describe('directory actions', () => {
  it('unlocks a locked account and records who asked, which account, what and the result', async () => {
    const { ask, audit, directory } = actionsWorld();
    const outcome = await ask(bob, 'unlock');
    expect(outcome).toEqual({ kind: 'done', action: 'unlock', accountId: 'bob', changed: true });
    expect(directory.accounts.get('bob')!.status.locked).toBe(false);
    expect(audit.entries).toEqual([
      expect.objectContaining({ requester: 'slack:U-bob@example.org', accountId: 'bob', action: 'unlock', result: 'done', idempotencyKey: 'delivery-1' }),
    ]);
    expect(describeOutcome(outcome, 'en')).toBe('Your account is unlocked. You can sign in again.');
  });

  it('refuses a fourth unlock in a day', async () => {
    const { ask, audit } = actionsWorld();
    for (let i = 0; i < 3; i++) expect((await ask(bob, 'unlock')).kind).toBe('done');
    const fourth = await ask(bob, 'unlock');
    expect(fourth).toEqual({ kind: 'refused', action: 'unlock', reason: 'limit-reached', limit: 3 });
    expect(audit.entries.at(-1)).toMatchObject({ result: 'refused:limit-reached' });
    expect(describeOutcome(fourth, 'fr')).toContain('limite de 3 demandes');
  });

  it('never touches a privileged account', async () => {
    const { ask, sender } = actionsWorld();
    expect(await ask(slack('dave@example.org'), 'reset-password')).toMatchObject({ kind: 'refused', reason: 'privileged' });
    expect(sender.sent).toEqual([]);
  });

  it('refuses a disabled action', async () => {
    const { ask, directory } = actionsWorld();
    expect(await ask(alice, 'remove-from-group', { group: 'vpn-users' })).toMatchObject({ kind: 'refused', reason: 'action-disabled' });
    expect(directory.accounts.get('alice')!.groups.map((g) => g.name)).toContain('vpn-users');
  });

  it('in dry-run decides and records, and changes nothing', async () => {
    const { ask, audit, directory } = actionsWorld({ policy: { ...POLICY, dryRun: true } });
    const outcome = await ask(bob, 'unlock');
    expect(outcome).toEqual({ kind: 'dry-run', action: 'unlock', accountId: 'bob' });
    expect(directory.accounts.get('bob')!.status.locked).toBe(true);
    expect(audit.entries.at(-1)).toMatchObject({ result: 'dry-run' });
    expect(describeOutcome(outcome, 'en')).toBe('Dry run: would unlock your account; nothing was changed.');
  });

  it('refuses to unlock a disabled account', async () => {
    const { ask } = actionsWorld();
    expect(await ask(slack('erin@example.org'), 'unlock')).toMatchObject({ kind: 'refused', reason: 'account-disabled' });
  });

  it('refuses when the identity maps to none or several entries', async () => {
    const { ask, audit } = actionsWorld();
    expect(await ask(slack('shared@example.org'), 'unlock')).toMatchObject({ kind: 'refused', reason: 'several-entries' });
    expect(await ask(slack('ghost@example.org'), 'unlock')).toMatchObject({ kind: 'refused', reason: 'no-entry' });
    expect(audit.entries.map((e) => [e.accountId, e.result])).toEqual([
      [undefined, 'refused:several-entries'],
      [undefined, 'refused:no-entry'],
    ]);
  });

  it('resets a password in two steps: a code to the second channel, then a one-time link — never a password', async () => {
    const { ask, sender, resets } = actionsWorld();
    const first = await ask(alice, 'reset-password');
    expect(first).toMatchObject({ kind: 'code-sent', sentTo: 'a***@home.example' });
    expect(sender.sent[0]).toMatchObject({ to: 'alice.martin@home.example', name: 'Alice Martin', action: 'reset your password', minutes: 10 });
    if (first.kind !== 'code-sent') throw new Error('expected a code');
    const second = await ask(alice, 'reset-password', { code: { challengeId: first.challengeId, code: sender.lastCode() } });
    expect(second).toMatchObject({ kind: 'done', resetPath: expect.stringMatching(/^\/portal\/reset\/[\w-]{43}$/) });
    const text = describeOutcome(second, 'en', 'https://guichet.example.org/');
    expect(text).toContain('https://guichet.example.org/portal/reset/');
    const token = second.kind === 'done' ? second.resetPath!.split('/').pop()! : '';
    expect(await resets.completeReset(token, 'Correct-Horse-Battery-9')).toEqual({ kind: 'done', accountId: 'alice' });
  });

  it('refuses a wrong code with the attempts left, and after three asks for a P2 security ticket', async () => {
    const { ask, sender, directory } = actionsWorld();
    const first = await ask(alice, 'reset-mfa');
    if (first.kind !== 'code-sent') throw new Error('expected a code');
    const wrong = sender.lastCode() === '000000' ? '999999' : '000000';
    const attempt = () => ask(alice, 'reset-mfa', { code: { challengeId: first.challengeId, code: wrong } });
    expect(await attempt()).toMatchObject({ kind: 'refused', reason: 'code-mismatch', attemptsLeft: 2 });
    expect(await attempt()).toMatchObject({ kind: 'refused', reason: 'code-mismatch', attemptsLeft: 1 });
    expect(await attempt()).toEqual({ kind: 'refused', action: 'reset-mfa', reason: 'too-many-attempts', securityTicket: 'P2' });
    expect(directory.accounts.get('alice')!.mfaMethods).toEqual(['authenticator']);
  });

  it('sends at most five codes a day for one action', async () => {
    const { ask, sender } = actionsWorld();
    for (let i = 0; i < MAX_CODES_PER_DAY; i++) expect((await ask(alice, 'reset-password')).kind).toBe('code-sent');
    expect(await ask(alice, 'reset-password')).toMatchObject({ kind: 'refused', reason: 'limit-reached', limit: MAX_CODES_PER_DAY });
    expect(sender.sent).toHaveLength(MAX_CODES_PER_DAY);
  });

  it("refuses a code issued for someone else's request", async () => {
    const { ask } = actionsWorld();
    const bobs = await ask(bob, 'reset-password');
    if (bobs.kind !== 'code-sent') throw new Error('expected a code');
    expect(await ask(alice, 'reset-password', { code: { challengeId: bobs.challengeId, code: '123456' } })).toMatchObject({ reason: 'code-expired' });
  });

  it('refuses a sensitive action when no second channel is registered', async () => {
    const { ask } = actionsWorld();
    expect(await ask(slack('carol@example.org'), 'reset-password')).toMatchObject({ kind: 'refused', reason: 'no-second-channel' });
  });

  it('grants an approved group by its name', async () => {
    const { ask, directory } = actionsWorld();
    expect(await ask(alice, 'add-to-group', { group: 'finance-share' })).toMatchObject({ kind: 'refused', reason: 'approval-missing' });
    expect(await ask(alice, 'add-to-group', { group: 'finance-share', approval: 'REQ-1042' })).toMatchObject({ kind: 'done', group: 'finance-share' });
    expect(directory.accounts.get('alice')!.groups.map((g) => g.name)).toContain('finance-share');
  });

  it('answers a retried delivery with the first outcome, without acting twice', async () => {
    const { actions, audit, directory } = actionsWorld();
    const request = { idempotencyKey: 'teams-activity-7', requester: teams('11111111-1111-1111-1111-111111111111'), action: 'add-to-group' as const, group: 'finance-share', approval: 'REQ-1', lang: 'en' as const };
    const [a, b] = await Promise.all([actions.perform(request), actions.perform(request)]);
    const c = await actions.perform(request);
    expect(a).toEqual(b);
    expect(c).toEqual(a);
    expect(audit.entries).toHaveLength(1);
    expect(directory.accounts.get('alice')!.groups.filter((g) => g.name === 'finance-share')).toHaveLength(1);
  });

  it('reports an unreachable directory as a value, changing nothing', async () => {
    const world = actionsWorld();
    world.directory.unreachable = true;
    const outcome = await world.ask(bob, 'unlock');
    expect(outcome).toMatchObject({ kind: 'failed', reason: 'unreachable' });
    expect(world.audit.entries.at(-1)).toMatchObject({ result: 'failed:unreachable' });
    expect(describeOutcome(outcome, 'en')).toContain('nothing was changed');
  });

  it('reports a code that cannot be sent as a failure', async () => {
    const world = actionsWorld();
    world.sender.failing = true;
    expect(await world.ask(alice, 'reset-password')).toMatchObject({ kind: 'failed', reason: 'unreachable', detail: 'smtp down' });
  });

  it('shows the status of the account', async () => {
    const { ask } = actionsWorld();
    const outcome = await ask(slack('carol@example.org'), 'status');
    expect(outcome).toMatchObject({ kind: 'done', changed: false, status: { passwordExpired: true } });
    expect(describeOutcome(outcome, 'en')).toBe('Your account: locked no, disabled no, password expired yes, password last changed 2020-01-01.');
  });
});
