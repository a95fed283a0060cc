import { describe, expect, it } from 'vitest';
import { checkTicketForm } from '../../../src/core/ticket-form.ts';

const ids = new Set(['vpn']);

describe('checkTicketForm', () => {
  it('reads a form, trimming its texts and coercing its levels', () => {
    expect(checkTicketForm({ service: 'vpn', impact: '2', urgency: 3, title: ' VPN down ', description: 'It drops every hour.' }, ids, 'en')).toEqual({
      ok: true,
      form: { service: 'vpn', impact: 2, urgency: 3, title: 'VPN down', description: 'It drops every hour.' },
    });
  });

  it('says what is wrong with each field, in the fields’ order and the user’s language', () => {
    const checked = checkTicketForm({ service: 'payroll', impact: 9, urgency: 1, title: 'x'.repeat(151), description: 'short' }, ids, 'fr');
    expect(checked).toEqual({
      ok: false,
      errors: {
        service: 'Choisissez la catégorie du problème.',
        impact: 'Dites qui est touché.',
        title: 'Le titre doit faire 150 caractères au plus.',
        description: 'Décrivez le problème en quelques mots au moins (10 caractères).',
      },
    });
  });

  it('tells data that is not an object as a problem of the description', () => {
    expect(checkTicketForm('nope', ids, 'en')).toEqual({ ok: false, errors: { description: 'Describe the problem in a few words at least (10 characters).' } });
  });
});
