/**
 * ArticleStore on Prisma (SQLite or PostgreSQL): the Article, ArticleRevision,
 * AnswerFeedback and UnansweredQuery tables, and AuditLog.
 *
 * Every change runs in one transaction that writes the article row, an
 * ArticleRevision (full content snapshot; not for a mere re-link to a file,
 * whose text did not change) and an AuditLog row (entity "article", entity id
 * "FAQ-0001/en", actor 'admin' when the change has an author, else
 * 'system'). What a change writes is decided by article-change.ts, shared
 * with MemoryArticleStore. Concurrent changes of one article: the row is
 * updated only if its revision is still the one read, otherwise the
 * transaction fails with `knowledge.concurrent-change` (nothing written).
 */
import { z } from 'zod';
import { GuichetError } from '../../core/errors.ts';
import { toLang, type Lang } from '../../core/lang.ts';
import { ARTICLE_STATUSES, ARTICLE_TYPES, TYPE_LAYOUT, type Article, type ArticleStatus, type ArticleType } from '../../knowledge/article.ts';
import { contentOf, formatId, planChange, planStatusChange, rejectRepeats, unknownArticle, type PlannedChange } from '../../knowledge/article-change.ts';
import type {
  ArticleRevisionView,
  ArticleSource,
  ArticleStore,
  ChangeMeta,
  FeedbackInput,
  GapInput,
  SaveOutcome,
  StoredArticle,
  StoredVersion,
} from '../../knowledge/article-store.ts';
import { isUniqueViolation, type Database } from '../database.ts';
import type { Prisma } from '../generated/sqlite/client.ts';
import { toJson } from './json.ts';
import { describeIssue } from '../../core/zod-issue.ts';

type Tx = Prisma.TransactionClient;
type ArticleRow = Prisma.ArticleModel;

const SOURCES: readonly [ArticleSource, ...ArticleSource[]] = ['file', 'chat', 'web', 'import', 'ticket'];
const strings = z.array(z.string());
/** An article as stored in a Json snapshot (ArticleRevision.content) or rebuilt from a row. */
const articleSchema = z.object({
  id: z.string(),
  type: z.enum(ARTICLE_TYPES),
  lang: z.enum(['fr', 'en']),
  title: z.string(),
  tags: strings,
  services: strings,
  symptoms: strings,
  cause: z.string().optional(),
  workaround: z.string().optional(),
  status: z.enum(ARTICLE_STATUSES),
  updated: z.string(),
  body: z.string(),
});

/** A big first sync or import writes a few thousand rows in one transaction: give it time (ms). */
const BATCH_TIMEOUT_MS = 120_000;
const entityId = (a: { id: string; lang: string }): string => `${a.id}/${a.lang}`;

interface Planned {
  row: ArticleRow | null;
  change: PlannedChange;
}

export class PrismaArticleStore implements ArticleStore {
  constructor(private readonly db: Database) {}

  async list(filter: { statuses?: readonly ArticleStatus[]; lang?: Lang } = {}): Promise<StoredArticle[]> {
    const rows = await this.db.client.article.findMany({
      where: { ...(filter.statuses ? { status: { in: [...filter.statuses] } } : {}), ...(filter.lang ? { lang: filter.lang } : {}) },
      orderBy: [{ articleId: 'asc' }, { lang: 'asc' }],
    });
    return rows.map(toStored);
  }

  async versions(): Promise<StoredVersion[]> {
    const rows = await this.db.client.article.findMany({
      select: { articleId: true, lang: true, status: true, source: true, sourcePath: true, contentHash: true },
      orderBy: [{ articleId: 'asc' }, { lang: 'asc' }],
    });
    return rows.map((row) => {
      const source = SOURCES.find((s) => s === row.source);
      const status = ARTICLE_STATUSES.find((s) => s === row.status);
      const lang = toLang(row.lang);
      if (!source || !status || !lang) throw corrupt(`row ${row.articleId}/${row.lang}`, `unknown source "${row.source}", status "${row.status}" or language`);
      return { id: row.articleId, lang, status, source, contentHash: row.contentHash, ...(row.sourcePath !== null ? { sourcePath: row.sourcePath } : {}) };
    });
  }

  async get(id: string, lang: Lang): Promise<StoredArticle | null> {
    const row = await this.db.client.article.findUnique({ where: { articleId_lang: { articleId: id, lang } } });
    return row ? toStored(row) : null;
  }

  async save(article: Article, meta: ChangeMeta): Promise<SaveOutcome> {
    const [outcome] = await this.saveAll([article], meta);
    return outcome ?? 'unchanged';
  }

  async saveAll(articles: readonly Article[], meta: ChangeMeta): Promise<SaveOutcome[]> {
    rejectRepeats(articles);
    if (articles.length === 0) return [];
    return this.transaction(async (tx) => {
      const rows = await tx.article.findMany({ where: { articleId: { in: [...new Set(articles.map((a) => a.id))] } } });
      const byKey = new Map(rows.map((r) => [entityId({ id: r.articleId, lang: r.lang }), r]));
      const planned = articles.map((a): Planned => {
        const row = byKey.get(entityId(a)) ?? null;
        return { row, change: planChange(row && toStored(row), a, meta) };
      });
      await write(tx, planned, meta);
      return planned.map((p) => p.change.outcome);
    });
  }

  async setStatus(id: string, lang: Lang, status: ArticleStatus, meta: Omit<ChangeMeta, 'source'>): Promise<boolean> {
    return this.transaction(async (tx) => {
      const row = await tx.article.findUnique({ where: { articleId_lang: { articleId: id, lang } } });
      if (!row) return false;
      const change = planStatusChange(toStored(row), status, meta);
      await write(tx, [{ row, change }], meta);
      return true;
    });
  }

  async revisions(id: string, lang: Lang): Promise<ArticleRevisionView[]> {
    const row = await this.db.client.article.findUnique({
      where: { articleId_lang: { articleId: id, lang } },
      select: { revisions: { orderBy: { revision: 'desc' } } },
    });
    return (row?.revisions ?? []).map((r) => ({
      revision: r.revision,
      content: contentOf(parseArticle(r.content, `revision ${r.revision} of ${id}/${lang}`)),
      authorId: r.authorId,
      reason: r.reason,
      at: r.createdAt,
    }));
  }

  async nextId(type: ArticleType): Promise<string> {
    const { prefix } = TYPE_LAYOUT[type];
    // Ids have exactly 4 digits (the front matter schema), so the text order is the number order.
    const last = await this.db.client.article.findFirst({
      where: { articleId: { startsWith: `${prefix}-` } },
      orderBy: { articleId: 'desc' },
      select: { articleId: true },
    });
    const n = last ? Number(last.articleId.slice(prefix.length + 1)) : 0;
    return formatId(prefix, (Number.isInteger(n) ? n : 0) + 1);
  }

  async recordFeedback(input: FeedbackInput): Promise<{ helpful: number; notHelpful: number }> {
    return this.db.client.$transaction(async (tx) => {
      const row = await tx.article.findUnique({ where: { articleId_lang: { articleId: input.articleId, lang: input.lang } }, select: { id: true } });
      if (!row) throw unknownArticle(input.articleId, input.lang);
      await tx.answerFeedback.create({
        data: {
          articleRowId: row.id,
          userId: input.userId ?? null,
          helpful: input.helpful,
          query: input.query ?? null,
          conversationId: input.conversationId ?? null,
        },
      });
      // An increment, not a read-modify-write: concurrent ratings all count.
      await tx.article.update({
        where: { id: row.id },
        data: input.helpful ? { helpfulCount: { increment: 1 } } : { notHelpfulCount: { increment: 1 } },
      });
      const sums = await tx.article.aggregate({ where: { articleId: input.articleId }, _sum: { helpfulCount: true, notHelpfulCount: true } });
      return { helpful: sums._sum.helpfulCount ?? 0, notHelpful: sums._sum.notHelpfulCount ?? 0 };
    });
  }

  /** Articles never rated are left out (their totals are 0 and 0). */
  async feedbackTotals(): Promise<Map<string, { helpful: number; notHelpful: number }>> {
    const groups = await this.db.client.article.groupBy({ by: ['articleId'], _sum: { helpfulCount: true, notHelpfulCount: true } });
    const totals = new Map<string, { helpful: number; notHelpful: number }>();
    for (const g of groups) {
      const helpful = g._sum.helpfulCount ?? 0;
      const notHelpful = g._sum.notHelpfulCount ?? 0;
      if (helpful + notHelpful > 0) totals.set(g.articleId, { helpful, notHelpful });
    }
    return totals;
  }

  async recordGap(input: GapInput): Promise<void> {
    await this.db.client.unansweredQuery.create({
      data: {
        text: input.text,
        normalized: input.normalized,
        lang: input.lang,
        userId: input.userId ?? null,
        conversationId: input.conversationId ?? null,
        bestScore: input.bestScore ?? null,
      },
    });
  }

  /** Grouped by the folded text only; the example (and its language) is the latest wording asked. */
  async topGaps(limit: number, since?: Date): Promise<{ normalized: string; example: string; lang: Lang; count: number }[]> {
    const where = since ? { createdAt: { gte: since } } : {};
    const groups = await this.db.client.unansweredQuery.groupBy({
      by: ['normalized'],
      where,
      _count: { normalized: true },
      orderBy: [{ _count: { normalized: 'desc' } }, { normalized: 'asc' }],
      take: limit,
    });
    return Promise.all(
      groups.map(async (g) => {
        const latest = await this.db.client.unansweredQuery.findFirst({
          where: { ...where, normalized: g.normalized },
          orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
          select: { text: true, lang: true },
        });
        return { normalized: g.normalized, example: latest?.text ?? g.normalized, lang: toLang(latest?.lang) ?? 'en', count: g._count.normalized };
      }),
    );
  }

  /** Runs `work` in one transaction; a unique violation (another process created the same article) is a concurrent change. */
  private async transaction<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    try {
      return await this.db.client.$transaction(work, { timeout: BATCH_TIMEOUT_MS, maxWait: 10_000 });
    } catch (error) {
      if (isUniqueViolation(error)) throw concurrentChange('an article was created by another process at the same time', error);
      throw error;
    }
  }
}

/** Writes the planned changes: new rows in one statement, then each update, then revisions and audit rows in bulk. */
async function write(tx: Tx, planned: readonly Planned[], meta: Omit<ChangeMeta, 'source'>): Promise<void> {
  const rowIds = new Map<string, string>();
  const creates = planned.filter((p) => p.change.kind === 'create').map((p) => columns(p.change.next));
  if (creates.length > 0) {
    const created = await tx.article.createManyAndReturn({ data: creates, select: { id: true, articleId: true, lang: true } });
    for (const r of created) rowIds.set(entityId({ id: r.articleId, lang: r.lang }), r.id);
  }
  for (const { row, change } of planned) {
    if (!row || change.kind === 'none' || change.kind === 'create') continue;
    const next = change.next;
    const data = change.kind === 'source' ? { source: next.source, sourcePath: next.sourcePath ?? null } : columns(next);
    // Only if nobody changed it since it was read.
    const done = await tx.article.updateMany({ where: { id: row.id, revision: row.revision }, data });
    if (done.count !== 1) throw concurrentChange(`article "${next.id}" (${next.lang}) was changed by someone else meanwhile`);
    rowIds.set(entityId(next), row.id);
  }
  const written = planned.filter((p) => p.change.audit);
  const revisions = written.filter((p) => p.change.kind !== 'source');
  if (revisions.length > 0) {
    await tx.articleRevision.createMany({
      data: revisions.map(({ change: { next } }) => ({
        articleRowId: rowIds.get(entityId(next)) ?? '',
        revision: next.revision,
        content: toJson(contentOf(next)),
        authorId: meta.authorId ?? null,
        reason: meta.reason,
      })),
    });
  }
  if (written.length > 0) {
    await tx.auditLog.createMany({
      data: written.map(({ change }) => ({
        actorId: meta.authorId ?? null,
        actorKind: meta.authorId !== undefined ? 'admin' : 'system',
        action: change.audit?.action ?? 'article.update',
        entity: 'article',
        entityId: entityId(change.next),
        before: change.audit?.before ? toJson(change.audit.before) : undefined,
        after: toJson(change.audit?.after),
      })),
    });
  }
}

/** The row's columns for a stored article (`contentUpdatedAt` is the article's `updated` date at 00:00 UTC). */
function columns(a: StoredArticle) {
  return {
    articleId: a.id,
    lang: a.lang,
    type: a.type,
    title: a.title,
    tags: toJson(a.tags),
    services: toJson(a.services),
    symptoms: toJson(a.symptoms),
    cause: a.cause ?? null,
    workaround: a.workaround ?? null,
    body: a.body,
    status: a.status,
    source: a.source,
    sourcePath: a.sourcePath ?? null,
    contentHash: a.contentHash,
    revision: a.revision,
    contentUpdatedAt: new Date(`${a.updated}T00:00:00Z`),
  };
}

function toStored(row: ArticleRow): StoredArticle {
  const article = parseArticle(
    {
      id: row.articleId,
      type: row.type,
      lang: row.lang,
      title: row.title,
      tags: row.tags,
      services: row.services,
      symptoms: row.symptoms,
      cause: row.cause ?? undefined,
      workaround: row.workaround ?? undefined,
      status: row.status,
      updated: row.contentUpdatedAt.toISOString().slice(0, 10),
      body: row.body,
    },
    `row ${entityId({ id: row.articleId, lang: row.lang })}`,
  );
  const source = SOURCES.find((s) => s === row.source);
  if (!source) throw corrupt(`row ${row.articleId}/${row.lang}`, `unknown source "${row.source}"`);
  const stored: StoredArticle = { ...article, source, revision: row.revision, contentHash: row.contentHash };
  if (row.sourcePath !== null) stored.sourcePath = row.sourcePath;
  return stored;
}

/** Checks what the database holds (Json columns, enum-like strings): a bad value is a corrupt row, named. */
function parseArticle(value: unknown, what: string): Article {
  const parsed = articleSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw corrupt(what, describeIssue(parsed.error));
}

function corrupt(what: string, problem: string): GuichetError {
  return new GuichetError('knowledge.corrupt-row', `knowledge: article store: ${what}: ${problem}`);
}

function concurrentChange(problem: string, cause?: unknown): GuichetError {
  return new GuichetError('knowledge.concurrent-change', `knowledge: article store: ${problem}; nothing was saved, try again`, { cause });
}
