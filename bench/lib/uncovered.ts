/** Reads a file of uncovered questions: one `{"text": "..."}` a line. */
import { readFileSync } from 'node:fs';

export function readUncovered(path: string): string[] {
  return readUncoveredRows(path).map((r) => r.text);
}

/** The same with `added`: a tuning question added later, that calibrate.ts learns on but never holds out. */
export function readUncoveredRows(path: string): Array<{ text: string; added: boolean }> {
  return readFileSync(path, 'utf8')
    .split('\n')
    .map((l, i) => ({ l: l.trim(), n: i + 1 }))
    .filter(({ l }) => l)
    .map(({ l, n }) => {
      let json: unknown;
      try {
        json = JSON.parse(l);
      } catch (e) {
        throw new Error(`bench: ${path}:${n}: not JSON: ${(e as Error).message}`);
      }
      const text = (json as { text?: unknown }).text;
      if (typeof text !== 'string') throw new Error(`bench: ${path}:${n}: expected {"text": "..."}`);
      return { text, added: (json as { added?: unknown }).added === true };
    });
}
