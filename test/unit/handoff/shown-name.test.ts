/** How agents see a requester: a name, never a platform's raw id. */
import { describe, expect, it } from 'vitest';
import { shownName } from '../../../src/handoff/context.ts';

describe('shownName', () => {
  it('keeps a real display name, long or short', () => {
    expect(shownName({ displayName: 'Alice Martin' }, 'anon')).toBe('Alice Martin');
    expect(shownName({ displayName: 'Christophe' }, 'anon')).toBe('Christophe');
    expect(shownName({ displayName: 'Léa' }, 'anon')).toBe('Léa');
    expect(shownName({ displayName: 'Jean-Christophe de La Tour' }, 'anon')).toBe('Jean-Christophe de La Tour');
  });

  it('replaces Slack, Teams, GUID, e-mail and web visitor ids by the e-mail name part, else the fallback', () => {
    for (const raw of ['U0ALICE42', 'W012ABCDEF', '29:1f2e3d4c5b6a', 'a1b2c3d4-e5f6-4789-abcd-0123456789ab', 'alice.martin@example.org', 'kQ3x9_TzA1bC2dE3fG4hI5', 'qIVGpxcxmgeFXpgmDbpqffFo']) {
      expect(shownName({ displayName: raw, email: 'alice.martin@example.org' }, 'anon'), raw).toBe('alice.martin');
      expect(shownName({ displayName: raw }, 'anon'), raw).toBe('anon');
    }
  });
});
