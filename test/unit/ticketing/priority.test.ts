import { describe, expect, it } from 'vitest';
import type { Level, Priority } from '../../../src/core/tickets.ts';
import { DEFAULT_MATRIX, priorityOf, type PriorityMatrix } from '../../../src/ticketing/priority.ts';

describe('the priority matrix', () => {
  // ITIL: impact (rows) × urgency (columns), 1 high … 3 low.
  it.each([
    [1, 1, 1], [1, 2, 2], [2, 1, 2], [1, 3, 3], [2, 2, 3], [3, 1, 3], [2, 3, 4], [3, 2, 4], [3, 3, 5],
  ] as [Level, Level, Priority][])('impact %i × urgency %i → P%i by default', (impact, urgency, priority) => {
    expect(priorityOf(DEFAULT_MATRIX, impact, urgency)).toBe(priority);
  });

  it('follows a configured matrix, impact first', () => {
    const strict: PriorityMatrix = { '1': { '1': 1, '2': 1, '3': 2 }, '2': { '1': 3, '2': 3, '3': 4 }, '3': { '1': 5, '2': 5, '3': 5 } };
    expect(priorityOf(strict, 1, 2)).toBe(1);
    expect(priorityOf(strict, 2, 1)).toBe(3);
    expect(priorityOf(strict, 3, 1)).toBe(5);
  });
});
