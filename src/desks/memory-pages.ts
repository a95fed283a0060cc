/** Pages in memory: for tests and a single instance (several instances would each page; a restart forgets pending pages). */
import type { PageRecord, PageStore } from './pager.ts';

export class MemoryPageStore implements PageStore {
  private readonly pages = new Map<string, PageRecord>();

  async create(page: PageRecord): Promise<boolean> {
    if (this.pages.has(page.key)) return false;
    this.pages.set(page.key, structuredClone(page));
    return true;
  }

  async get(key: string): Promise<PageRecord | undefined> {
    const p = this.pages.get(key);
    return p && structuredClone(p);
  }

  async update(page: PageRecord): Promise<void> {
    this.pages.set(page.key, structuredClone(page));
  }

  async pending(): Promise<PageRecord[]> {
    return [...this.pages.values()].filter((p) => !p.closed && !p.acknowledgedBy).map((p) => structuredClone(p));
  }
}
