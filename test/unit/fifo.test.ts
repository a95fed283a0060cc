import { describe, expect, it } from 'vitest';
import { Fifo } from '../../src/core/fifo.ts';

describe('Fifo', () => {
  it('gives entries back in arrival order across compactions, interleaving pushes and takes', () => {
    const fifo = new Fifo<number>();
    const taken: number[] = [];
    let next = 0;
    // 5,000 pushes and 4,000 takes in uneven rounds: the head passes 1,024 several times (compaction).
    for (let round = 0; round < 50; round += 1) {
      for (let i = 0; i < 100; i += 1) fifo.push(next++);
      for (let i = 0; i < 80; i += 1) taken.push(fifo.take()!);
      expect(fifo.size).toBe(next - taken.length);
      expect(fifo.peek()).toBe(taken.length);
    }
    while (fifo.size > 0) taken.push(fifo.take()!);
    expect(taken).toEqual(Array.from({ length: 5_000 }, (_, i) => i));
    expect(fifo.take()).toBeUndefined();
    expect(fifo.peek()).toBeUndefined();
  });
});
