/**
 * The knowledge base's storage port. Files in knowledge/ are synced into it;
 * content curated in chat or the web console lives in it and is exported back
 * to files. Implementations: `MemoryArticleStore` (tests), and
 * `PrismaArticleStore` in src/persistence/stores/articles.ts.
 */
import type { Lang } from '../core/lang.ts';
import type { Article, ArticleStatus, ArticleType } from './article.ts';

/** Where an article's current text comes from. */
export type ArticleSource = 'file' | 'chat' | 'web' | 'import' | 'ticket';

export interface StoredArticle extends Article {
  source: ArticleSource;
  /** The file it was synced from or exported to, relative to the knowledge folder. */
  sourcePath?: string;
  /** 1 for the first version, +1 for every content or status change. */
  revision: number;
  /** Hash of the content fields (see contentHash in sync.ts): equal hashes mean nothing to write. */
  contentHash: string;
}

/** What a sync and the search index cache need of a stored article: who it is, where it comes from, its content hash; no content. */
export type StoredVersion = Pick<StoredArticle, 'id' | 'lang' | 'status' | 'source' | 'sourcePath' | 'contentHash'>;

export interface ChangeMeta {
  source: ArticleSource;
  sourcePath?: string;
  /** The user who made the change; absent for file syncs and imports run from the CLI. */
  authorId?: string;
  /** Why, in a few words ("sync from knowledge/en/faq/…", "published in chat"). */
  reason: string;
}

export type SaveOutcome = 'created' | 'updated' | 'unchanged';

export interface ArticleRevisionView {
  revision: number;
  content: Article;
  authorId: string | null;
  reason: string;
  at: Date;
}

export interface FeedbackInput {
  articleId: string;
  lang: Lang;
  helpful: boolean;
  userId?: string;
  query?: string;
  conversationId?: string;
}

export interface GapInput {
  text: string;
  /** Folded form, to count repeats of one question. */
  normalized: string;
  lang: Lang;
  userId?: string;
  conversationId?: string;
  /** Best confidence found for it, if any article came close. */
  bestScore?: number;
}

export interface ArticleStore {
  /** Every article version, optionally filtered; sorted by id then lang. */
  list(filter?: { statuses?: readonly ArticleStatus[]; lang?: Lang }): Promise<StoredArticle[]>;
  /** Every article version without its content (a start reads 10,000 of them in a fraction of `list()`'s time); sorted by id then lang. */
  versions(): Promise<StoredVersion[]>;
  get(id: string, lang: Lang): Promise<StoredArticle | null>;
  /**
   * Creates or replaces the content of (article.id, article.lang), writing a
   * revision and an audit row; 'unchanged' (nothing written) when the content
   * hash and status are the same.
   */
  save(article: Article, meta: ChangeMeta): Promise<SaveOutcome>;
  /** Saves several articles in one transaction: all or nothing. */
  saveAll(articles: readonly Article[], meta: ChangeMeta): Promise<SaveOutcome[]>;
  /** Changes the status (publish, retire), writing a revision and an audit row; false when the article does not exist. */
  setStatus(id: string, lang: Lang, status: ArticleStatus, meta: Omit<ChangeMeta, 'source'>): Promise<boolean>;
  /** Revision history, newest first. */
  revisions(id: string, lang: Lang): Promise<ArticleRevisionView[]>;
  /** The next free id of a type ("FAQ-0031"). */
  nextId(type: ArticleType): Promise<string>;
  /** Stores a rating and returns the article's new totals over all its languages. */
  recordFeedback(input: FeedbackInput): Promise<{ helpful: number; notHelpful: number }>;
  /** Feedback totals per article id (all languages). */
  feedbackTotals(): Promise<Map<string, { helpful: number; notHelpful: number }>>;
  recordGap(input: GapInput): Promise<void>;
  /** The most asked unanswered questions since `since`, most frequent first. */
  topGaps(limit: number, since?: Date): Promise<{ normalized: string; example: string; lang: Lang; count: number }[]>;
}
