/**
 * Where each term of a document occurs, by unit (its title, each symptom,
 * each sentence: lang-index.ts `unitsOf`), for every document of a language
 * index in three flat arrays: a term id per (document, term), sorted by id
 * within each document, and the bit mask of the units that hold it.
 *
 * A Map per document held 1.5 million entries for 10,000 articles (37 MB of
 * heap); the arrays hold them in 12 MB, are saved and loaded as they are
 * (index-cache.ts), and a lookup is a binary search over the document's
 * hundred-odd terms (focusOf runs it for each planned term of the ~20
 * candidates of a query).
 */

/** What the scorer reads of a document's units: the mask of a term, undefined when no unit holds it. */
export interface UnitLookup {
  get(term: string): number | undefined;
}

/** The units of one document: [start, end) of its index's table. */
export class DocUnits implements UnitLookup {
  constructor(
    readonly table: UnitTable,
    readonly start: number,
    readonly end: number,
  ) {}

  get(term: string): number | undefined {
    return this.table.maskOf(term, this.start, this.end);
  }
}

/** The units of every document of a language index. */
export class UnitTable {
  constructor(
    /** Term → id; ids are positions in `terms`. */
    readonly ids: ReadonlyMap<string, number>,
    /** Term ids, per document ascending; a document's are [start, end) of its DocUnits. */
    readonly termIds: Uint32Array,
    /** The unit bit mask of each entry of `termIds`. */
    readonly masks: Int32Array,
  ) {}

  maskOf(term: string, start: number, end: number): number | undefined {
    const id = this.ids.get(term);
    if (id === undefined) return undefined;
    const termIds = this.termIds;
    let lo = start;
    let hi = end - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const at = termIds[mid]!;
      if (at === id) return this.masks[mid];
      if (at < id) lo = mid + 1;
      else hi = mid - 1;
    }
    return undefined;
  }

  /** The terms by id (what the cache saves of `ids`). */
  terms(): string[] {
    const terms: string[] = [];
    for (const [term, id] of this.ids) terms[id] = term;
    return terms;
  }

  /** The table the cache saved (`terms` by id). */
  static restore(terms: readonly string[], termIds: Uint32Array, masks: Int32Array): UnitTable {
    return new UnitTable(new Map(terms.map((t, id) => [t, id])), termIds, masks);
  }
}

/** Collects documents' units (term → mask), then `finish()` gives the table. */
export class UnitTableBuilder {
  private readonly ids = new Map<string, number>();
  private termIds: number[] = [];
  private masks: number[] = [];

  /** Adds a document's units; returns its [start, end). */
  add(units: ReadonlyMap<string, number>): { start: number; end: number } {
    const start = this.termIds.length;
    const entries: Array<[number, number]> = [];
    for (const [term, mask] of units) {
      let id = this.ids.get(term);
      if (id === undefined) this.ids.set(term, (id = this.ids.size));
      entries.push([id, mask]);
    }
    entries.sort((a, b) => a[0] - b[0]);
    for (const [id, mask] of entries) {
      this.termIds.push(id);
      this.masks.push(mask);
    }
    return { start, end: this.termIds.length };
  }

  finish(): UnitTable {
    const table = new UnitTable(this.ids, Uint32Array.from(this.termIds), Int32Array.from(this.masks));
    this.termIds = [];
    this.masks = [];
    return table;
  }
}
