/**
 * Lookups a channel makes once per process (a user's profile, their DM channel): each key's
 * promise is kept, so concurrent turns share one request; a failed lookup is dropped (the next turn
 * tries again). Bounded: beyond `maxEntries`, the oldest entries are forgotten first.
 */
export class LookupCache<V> {
  private readonly entries = new Map<string, Promise<V>>();

  constructor(private readonly maxEntries = 10_000) {}

  /** The cached value for `key`, or `load()`'s. */
  get(key: string, load: () => Promise<V>): Promise<V> {
    const cached = this.entries.get(key);
    if (cached) return cached;
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
    const loading = load();
    this.entries.set(key, loading);
    loading.catch(() => this.entries.delete(key));
    return loading;
  }
}
