import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { describeIssue, firstIssue } from '../../../src/core/zod-issue.ts';

describe('firstIssue', () => {
  const schema = z.object({ steps: z.array(z.object({ text: z.string().min(3, 'is too short') })) });

  it('names the nested field and the problem', () => {
    const result = schema.safeParse({ steps: [{ text: 'okay' }, { text: 'no' }] });
    expect(result.success).toBe(false);
    if (result.success) return;
    expect(firstIssue(result.error)).toEqual({ field: 'steps.1.text', message: 'is too short' });
    expect(describeIssue(result.error)).toBe('field "steps.1.text": is too short');
  });

  it('words a problem with the value itself without a field', () => {
    const result = z.string().safeParse(3);
    expect(result.success).toBe(false);
    if (!result.success) expect(describeIssue(result.error)).toBe(firstIssue(result.error).message);
  });
});
