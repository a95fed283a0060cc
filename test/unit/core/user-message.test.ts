/**
 * Refusals reach users in their own language: the error's own sentence when it has one, else one by the
 * kind of its code — never the English developer message (kept for logs).
 */
import { describe, expect, it } from 'vitest';
import { GuichetError, userMessage } from '../../../src/core/errors.ts';
import type { GuichetErrorCode } from '../../../src/core/error-codes.ts';
import { say } from '../../../src/texts/index.ts';

describe('userMessage', () => {
  const cases: [GuichetErrorCode, Parameters<typeof say>[1]][] = [
    ['ticketing.not-found', 'core.refusedNotFound'],
    ['ticketing.forbidden', 'core.refusedForbidden'],
    ['ticketing.illegal-transition', 'core.refusedState'],
    ['ticketing.conflict', 'core.refusedState'],
    ['ticketing.invalid', 'core.refusedInvalid'],
    ['ticketing.calendar-too-sparse', 'core.refusedOther'],
  ];
  it.each(cases)('%s without a sentence of its own → %s, in French and in English', (code, key) => {
    const err = new GuichetError(code, 'ticket #42: some English detail for developers');
    expect(userMessage(err, 'fr')).toBe(say('fr', key));
    expect(userMessage(err, 'en')).toBe(say('en', key));
    expect(userMessage(err, 'fr')).not.toContain('English detail');
  });

  it('uses the error’s own sentence, with placeholders per language', () => {
    const err = new GuichetError('ticketing.illegal-transition', 'ticket #7 is closed: information can only be added to an open ticket', {
      user: { key: 'tickets.refusedClosedFor', vars: (lang) => ({ number: 7, status: lang === 'fr' ? 'clôturé' : 'closed', what: say(lang, 'tickets.refusedOnlyOpenInfo') }) },
    });
    expect(userMessage(err, 'fr')).toBe('Le ticket #7 est clôturé : on ne peut ajouter des informations qu’à un ticket ouvert.');
    expect(userMessage(err, 'en')).toBe('Ticket #7 is closed: information can only be added to an open ticket.');
  });

  it('keeps the cause and the developer message for the logs', () => {
    const cause = new Error('db');
    const err = new GuichetError('ticketing.conflict', 'ticketing: x was already written', { cause, user: { key: 'core.refusedState' } });
    expect(err.message).toBe('ticketing: x was already written');
    expect(err.cause).toBe(cause);
  });
});
