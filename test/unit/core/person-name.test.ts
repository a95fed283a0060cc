/** How agents see a person: the name the platform gave, else the e-mail's name part, else "name unknown" — never a platform id. */
import { describe, expect, it } from 'vitest';
import { personName } from '../../../src/core/ticket-texts.ts';

describe('personName', () => {
  it('keeps a real display name, long or short', () => {
    for (const name of ['Alice Martin', 'Christophe', 'Léa', 'Jean-Christophe de La Tour', 'U2']) expect(personName({ displayName: name }, 'fr')).toBe(name);
  });

  it('shows the e-mail name part, else "name unknown" in the reader language, when no name was given', () => {
    expect(personName({ displayName: '', email: 'alice.martin@example.org' }, 'en')).toBe('alice.martin');
    expect(personName({ displayName: '  ' }, 'en')).toBe('The requester (name unknown)');
    expect(personName({ displayName: '', email: null }, 'fr')).toBe('Le demandeur (nom inconnu)');
  });

});
