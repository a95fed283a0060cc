/** A requester's escalation reason: a deadline or blocking words ask for a high urgency; other reasons change nothing. */
import { describe, expect, it } from 'vitest';
import { reasonUrgency } from '../../../src/ticketing/desk/requester.ts';

describe('reasonUrgency', () => {
  it('reads deadlines and blocking words, in French and English', () => {
    for (const reason of ['client demain 9h, c’est bloquant', 'démo à 14h', 'je suis bloquée', 'board meeting in 30 minutes', 'I am blocked', 'needed by 5pm today', 'URGENT', 'je ne peux plus travailler']) {
      expect(reasonUrgency(reason), reason).toBe(1);
    }
  });

  it('leaves other reasons alone', () => {
    for (const reason of ['ça fait longtemps', 'personne ne m’a répondu', 'it has been a week', 'merci de regarder']) expect(reasonUrgency(reason), reason).toBeUndefined();
  });
});
