/**
 * ITIL priority from impact × urgency (1 high … 3 low) through a configurable
 * matrix; the default is the classic one (P1 critical … P5 planning).
 */
import { z } from 'zod';
import type { Level, Priority } from '../core/tickets.ts';

export type PriorityMatrix = Record<'1' | '2' | '3', Record<'1' | '2' | '3', Priority>>;

export const DEFAULT_MATRIX: PriorityMatrix = {
  '1': { '1': 1, '2': 2, '3': 3 },
  '2': { '1': 2, '2': 3, '3': 4 },
  '3': { '1': 3, '2': 4, '3': 5 },
};

const priority = z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4), z.literal(5)]);
const row = z.object({ '1': priority, '2': priority, '3': priority });
export const matrixSchema = z.object({ '1': row, '2': row, '3': row });

export function priorityOf(matrix: PriorityMatrix, impact: Level, urgency: Level): Priority {
  return matrix[String(impact) as '1' | '2' | '3'][String(urgency) as '1' | '2' | '3'];
}
