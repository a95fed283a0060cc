import { describe, expect, it } from 'vitest';
import { confidenceOf } from '../../../../src/knowledge/search/confidence.ts';

describe('confidenceOf', () => {
  it('is high for a full match well ahead of the rest', () => {
    expect(confidenceOf(1, 10, 1)).toBeGreaterThan(0.9);
  });

  it('is low when another article scores as well', () => {
    expect(confidenceOf(1, 10, 10)).toBeLessThan(0.3);
  });

  it('is low for a weak match alone (its margin counts only through coverage)', () => {
    expect(confidenceOf(0.15, 3, 0)).toBeLessThan(0.25);
  });

  it('is 0 without a match, and grows with coverage and margin', () => {
    expect(confidenceOf(0, 10, 0)).toBe(0);
    expect(confidenceOf(0.5, 10, 5)).toBeLessThan(confidenceOf(0.9, 10, 5));
    expect(confidenceOf(0.9, 10, 8)).toBeLessThan(confidenceOf(0.9, 10, 2));
  });

  it('ranks below the best get a negative margin', () => {
    expect(confidenceOf(1, 8, 10)).toBeLessThan(confidenceOf(1, 10, 10));
  });
});
