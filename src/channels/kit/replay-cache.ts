/**
 * Signed requests seen recently (by their signature, or any key that identifies one), each kept
 * until its timestamp leaves the freshness window, so that a valid request replayed inside the window
 * is refused. In memory: entries live at most that window, so the cache stays small and costs no write
 * on the hot path; it is a second line behind the database's unique delivery ids. Bounded: when full,
 * the expired entries go first, then the oldest ones.
 */
export class ReplayCache {
  private readonly seen = new Map<string, number>();

  constructor(private readonly maxEntries = 100_000) {}

  /** Records `key` valid until `expiresAt` (seconds); false if it was already there and unexpired. */
  remember(key: string, expiresAt: number, nowSeconds: number): boolean {
    const known = this.seen.get(key);
    if (known !== undefined && known >= nowSeconds) return false;
    if (this.seen.size >= this.maxEntries) this.evict(nowSeconds);
    this.seen.delete(key);
    this.seen.set(key, expiresAt);
    return true;
  }

  get size(): number {
    return this.seen.size;
  }

  private evict(nowSeconds: number): void {
    for (const [key, expiresAt] of this.seen) if (expiresAt < nowSeconds) this.seen.delete(key);
    // Map iterates in insertion order: drop the oldest tenth when nothing had expired.
    if (this.seen.size >= this.maxEntries) {
      let drop = Math.max(1, Math.floor(this.maxEntries / 10));
      for (const key of this.seen.keys()) {
        if (drop-- <= 0) break;
        this.seen.delete(key);
      }
    }
  }
}
