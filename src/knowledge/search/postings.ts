/**
 * MiniSearch's posting lists copied into flat arrays once an index is built,
 * for the scorer (scorer.ts) to read: per term and field, the documents'
 * short ids and term frequencies, in MiniSearch's own order.
 *
 * MiniSearch keeps them in a radix tree of Maps ending in a Map per field of
 * a Map per document (term → field → short id → tf); for 10,000 articles that
 * was 60 MB of heap, nearly all of it hash tables of a few entries. Here a
 * posting takes 8 bytes outside the heap, the table is saved and loaded as it
 * is (index-cache.ts), and MiniSearch's tree is dropped after the copy
 * (lang-index.ts). Reading it gives exactly the numbers MiniSearch holds: the
 * scorer's scores are unchanged to the last bit (scorer.test.ts compares them
 * with `MiniSearch.search()`).
 */
/** Term → field id → document short id → term frequency (MiniSearch's own layout). */
export type Postings = Map<number, Map<number, number>>;

export class PostingTable {
  constructor(
    /** Term → term number. */
    readonly ids: ReadonlyMap<string, number>,
    /** Number of field ids: term t's postings in field f are [starts[t·fields + f], starts[t·fields + f + 1]). */
    readonly fields: number,
    readonly starts: Uint32Array,
    /** Short id of each posting. */
    readonly docs: Uint32Array,
    /** Term frequency of each posting. */
    readonly tfs: Uint32Array,
  ) {}

  /** The table of MiniSearch's posting lists (`lists`: its index's entries; field ids are 0 to `fields` − 1). */
  static of(lists: Iterable<[string, Postings]>, fields: number): PostingTable {
    const ids = new Map<string, number>();
    const all: Postings[] = [];
    let total = 0;
    for (const [term, postings] of lists) {
      ids.set(term, all.length);
      all.push(postings);
      for (const tfs of postings.values()) total += tfs.size;
    }
    const starts = new Uint32Array(all.length * fields + 1);
    const docs = new Uint32Array(total);
    const tfs = new Uint32Array(total);
    let at = 0;
    all.forEach((postings, t) => {
      for (let f = 0; f < fields; f += 1) {
        starts[t * fields + f] = at;
        postings.get(f)?.forEach((tf, shortId) => {
          docs[at] = shortId;
          tfs[at] = tf;
          at += 1;
        });
      }
    });
    starts[all.length * fields] = at;
    // A field id beyond `fields` would have been left out.
    if (at !== total) throw new Error(`postings: a field id out of 0..${fields - 1}`);
    return new PostingTable(ids, fields, starts, docs, tfs);
  }

  termId(term: string): number | undefined {
    return this.ids.get(term);
  }

  /** The terms by number (what the cache saves of `ids`). */
  terms(): string[] {
    const terms: string[] = [];
    for (const [term, id] of this.ids) terms[id] = term;
    return terms;
  }

  /** The table the cache saved; undefined when its parts do not fit. */
  static restore(saved: { terms: string[]; fields: number; starts: Uint32Array; docs: Uint32Array; tfs: Uint32Array }): PostingTable | undefined {
    const { terms, fields, starts, docs, tfs } = saved;
    if (starts.length !== terms.length * fields + 1 || docs.length !== tfs.length || starts[starts.length - 1] !== docs.length) return undefined;
    return new PostingTable(new Map(terms.map((t, id) => [t, id])), fields, starts, docs, tfs);
  }

  /** What the cache saves. */
  save(): { terms: string[]; fields: number; starts: Uint32Array; docs: Uint32Array; tfs: Uint32Array } {
    return { terms: this.terms(), fields: this.fields, starts: this.starts, docs: this.docs, tfs: this.tfs };
  }
}
