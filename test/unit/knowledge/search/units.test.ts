/** The units table (src/knowledge/search/units.ts): each document's lookups answer as its own Map did. */
import { describe, expect, it } from 'vitest';
import { UnitTable, UnitTableBuilder } from '../../../../src/knowledge/search/units.ts';

describe('units table', () => {
  it('gives each document the masks of its own terms only, also once saved and restored', () => {
    const docs = [
      new Map([['vpn', 1], ['809', 3], ['erreur', 2]]),
      new Map(),
      new Map([['imprim', 4], ['vpn', 8 | (1 << 30)], ['zzz', -1]]),
    ];
    const builder = new UnitTableBuilder();
    const ranges = docs.map((units) => builder.add(units));
    const table = builder.finish();
    const restored = UnitTable.restore(table.terms(), table.termIds, table.masks);
    for (const t of [table, restored]) {
      docs.forEach((units, i) => {
        const { start, end } = ranges[i]!;
        for (const term of ['vpn', '809', 'erreur', 'imprim', 'zzz', 'absent']) expect(t.maskOf(term, start, end)).toBe(units.get(term));
      });
    }
    expect(ranges[1]).toEqual({ start: 3, end: 3 });
  });
});
