/**
 * ArticleStore in memory, with the same change rules as the database store
 * (article-change.ts): revisions, audit entries, feedback totals and gaps.
 *
 * For unit tests and throw-away sessions only. Do not use it where anything
 * must survive the process, be shared by several processes, or be audited:
 * nothing is persisted and there is no cross-process safety. Every deployed
 * Guichet uses PrismaArticleStore (src/persistence/stores/articles.ts).
 */
import type { Lang } from '../core/lang.ts';
import { TYPE_LAYOUT, type Article, type ArticleStatus, type ArticleType } from './article.ts';
import { contentOf, formatId, planChange, planStatusChange, rejectRepeats, unknownArticle, type AuditAction, type PlannedChange } from './article-change.ts';
import type { ArticleRevisionView, ArticleStore, ChangeMeta, FeedbackInput, GapInput, SaveOutcome, StoredArticle, StoredVersion } from './article-store.ts';

/** What the database store writes to AuditLog, kept here for tests to read. */
export interface MemoryAuditEntry {
  at: Date;
  actorId: string | null;
  actorKind: 'admin' | 'system';
  action: AuditAction;
  entityId: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown>;
}

interface Entry {
  article: StoredArticle;
  /** Oldest first. */
  revisions: ArticleRevisionView[];
  helpful: number;
  notHelpful: number;
}

const keyOf = (id: string, lang: Lang): string => `${id}/${lang}`;
const copy = (a: StoredArticle): StoredArticle => ({ ...a, tags: [...a.tags], services: [...a.services], symptoms: [...a.symptoms] });

export class MemoryArticleStore implements ArticleStore {
  private readonly entries = new Map<string, Entry>();
  /** Every audit entry written, oldest first. */
  readonly audit: MemoryAuditEntry[] = [];
  readonly gaps: (GapInput & { at: Date })[] = [];

  constructor(private readonly now: () => Date = () => new Date()) {}

  async list(filter: { statuses?: readonly ArticleStatus[]; lang?: Lang } = {}): Promise<StoredArticle[]> {
    return [...this.entries.values()]
      .map((e) => e.article)
      .filter((a) => (!filter.statuses || filter.statuses.includes(a.status)) && (!filter.lang || a.lang === filter.lang))
      .sort((a, b) => (a.id === b.id ? cmp(a.lang, b.lang) : cmp(a.id, b.id)))
      .map(copy);
  }

  async versions(): Promise<StoredVersion[]> {
    return (await this.list()).map(({ id, lang, status, source, sourcePath, contentHash }) => ({ id, lang, status, source, contentHash, ...(sourcePath !== undefined ? { sourcePath } : {}) }));
  }

  async get(id: string, lang: Lang): Promise<StoredArticle | null> {
    const found = this.entries.get(keyOf(id, lang));
    return found ? copy(found.article) : null;
  }

  async save(article: Article, meta: ChangeMeta): Promise<SaveOutcome> {
    const [outcome] = await this.saveAll([article], meta);
    return outcome ?? 'unchanged';
  }

  async saveAll(articles: readonly Article[], meta: ChangeMeta): Promise<SaveOutcome[]> {
    rejectRepeats(articles);
    // Plan everything first, then apply: nothing can fail half-way.
    const planned = articles.map((a) => planChange(this.entries.get(keyOf(a.id, a.lang))?.article ?? null, a, meta));
    for (const change of planned) this.apply(change, meta);
    return planned.map((c) => c.outcome);
  }

  async setStatus(id: string, lang: Lang, status: ArticleStatus, meta: Omit<ChangeMeta, 'source'>): Promise<boolean> {
    const entry = this.entries.get(keyOf(id, lang));
    if (!entry) return false;
    const change = planStatusChange(entry.article, status, meta);
    this.apply(change, meta);
    return true;
  }

  async revisions(id: string, lang: Lang): Promise<ArticleRevisionView[]> {
    const entry = this.entries.get(keyOf(id, lang));
    return entry ? [...entry.revisions].reverse().map((r) => ({ ...r, content: contentOf(r.content) })) : [];
  }

  async nextId(type: ArticleType): Promise<string> {
    const { prefix } = TYPE_LAYOUT[type];
    const numbers = [...this.entries.values()].map((e) => e.article.id).filter((id) => id.startsWith(`${prefix}-`)).map((id) => Number(id.slice(prefix.length + 1)));
    return formatId(prefix, Math.max(0, ...numbers) + 1);
  }

  async recordFeedback(input: FeedbackInput): Promise<{ helpful: number; notHelpful: number }> {
    const entry = this.entries.get(keyOf(input.articleId, input.lang));
    if (!entry) throw unknownArticle(input.articleId, input.lang);
    if (input.helpful) entry.helpful += 1;
    else entry.notHelpful += 1;
    const totals = (await this.feedbackTotals()).get(input.articleId);
    return totals ?? { helpful: 0, notHelpful: 0 };
  }

  async feedbackTotals(): Promise<Map<string, { helpful: number; notHelpful: number }>> {
    const totals = new Map<string, { helpful: number; notHelpful: number }>();
    for (const e of this.entries.values()) {
      if (e.helpful + e.notHelpful === 0) continue;
      const t = totals.get(e.article.id) ?? { helpful: 0, notHelpful: 0 };
      totals.set(e.article.id, { helpful: t.helpful + e.helpful, notHelpful: t.notHelpful + e.notHelpful });
    }
    return totals;
  }

  async recordGap(input: GapInput): Promise<void> {
    this.gaps.push({ ...input, at: this.now() });
  }

  async topGaps(limit: number, since?: Date): Promise<{ normalized: string; example: string; lang: Lang; count: number }[]> {
    const groups = new Map<string, { normalized: string; example: string; lang: Lang; count: number }>();
    for (const g of this.gaps) {
      if (since && g.at < since) continue;
      const group = groups.get(g.normalized);
      // The latest wording is the example, as in the database store.
      groups.set(g.normalized, { normalized: g.normalized, example: g.text, lang: g.lang, count: (group?.count ?? 0) + 1 });
    }
    return [...groups.values()].sort((a, b) => b.count - a.count || cmp(a.normalized, b.normalized)).slice(0, limit);
  }

  private apply(change: PlannedChange, meta: Omit<ChangeMeta, 'source'>): void {
    if (!change.audit) return;
    const key = keyOf(change.next.id, change.next.lang);
    const entry = this.entries.get(key) ?? { article: change.next, revisions: [], helpful: 0, notHelpful: 0 };
    entry.article = copy(change.next);
    const at = this.now();
    if (change.kind !== 'source') {
      entry.revisions.push({ revision: change.next.revision, content: contentOf(change.next), authorId: meta.authorId ?? null, reason: meta.reason, at });
    }
    this.entries.set(key, entry);
    this.audit.push({
      at,
      actorId: meta.authorId ?? null,
      actorKind: meta.authorId !== undefined ? 'admin' : 'system',
      action: change.audit.action,
      entityId: key,
      before: change.audit.before,
      after: change.audit.after,
    });
  }
}

/** Code-point order, as the database sorts ids ("FAQ-0002" < "KE-0001"). */
const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
