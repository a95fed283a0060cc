/**
 * The core's KnowledgeBase port on top of the search index and the article
 * store: answers from published articles, ratings that move the ranking
 * (bounded, see search/feedback.ts), and knowledge gaps. The index lives in
 * memory and is rebuilt from the store by `refresh()` — at start-up and after
 * every curation change made through this process.
 */
import type { Lang } from '../core/lang.ts';
import type { ArticleView } from '../core/messages.ts';
import type { KnowledgeAnswer, KnowledgeBase } from '../core/ports.ts';
import { fold } from '../core/commands.ts';
import { canWriteCache } from '../core/cache-file.ts';
import type { SynonymRule } from '../nlu/synonyms.ts';
import { say } from '../texts/index.ts';
import type { Article } from './article.ts';
import type { ArticleStore, StoredVersion } from './article-store.ts';
import { buildIndexCache } from './search/build-index-cache.ts';
import { buildKnowledgeIndex, loadKnowledgeIndex, type CacheMiss, type IndexCacheOptions, type KnowledgeIndex, type SearchOptions } from './search/knowledge-search.ts';

export class IndexedKnowledgeBase implements KnowledgeBase {
  private index: KnowledgeIndex = buildKnowledgeIndex([]);
  private articles = new Map<string, Article>();

  constructor(
    private readonly store: ArticleStore,
    private readonly synonyms: readonly SynonymRule[] = [],
    /** Where the index is saved between starts (search/index-cache.ts); none: built every time. */
    private readonly cache?: IndexCacheOptions,
  ) {}

  /**
   * Rebuilds the index from the store's published articles and feedback totals; `versions`: every
   * stored article's version, just read from the store (the start-up sync's listing), instead of
   * reading them again. With a cache that holds the index of these versions, no article is read.
   * `cached: false` (a refresh after an edit, while serving): built without reading or writing the
   * cache, which only saves start-up work — an edit would otherwise re-read the stale file and write
   * the whole index on the event loop; the next start rebuilds and saves it.
   */
  async refresh(versions?: readonly StoredVersion[], { cached = true }: { cached?: boolean } = {}): Promise<void> {
    const cache = cached ? this.cache : undefined;
    let loaded: { index: KnowledgeIndex; articles: Article[] } | { miss: CacheMiss } | undefined;
    if (cache) {
      const published = (versions ?? (await this.store.versions())).filter((v) => v.status === 'published');
      loaded = loadKnowledgeIndex(published, { synonyms: this.synonyms, cache });
    }
    if (!loaded || 'miss' in loaded) {
      const articles = await this.store.list({ statuses: ['published'] });
      // Told why it missed: the build does not read the file a second time.
      const missed = loaded?.miss;
      const built = cache && missed ? await this.buildInWorker(articles, { ...cache, missed }) : undefined;
      loaded = built ?? { index: buildKnowledgeIndex(articles, { synonyms: this.synonyms, ...(cache && missed ? { cache: { ...cache, missed } } : {}) }), articles };
    }
    const { index, articles } = loaded;
    for (const [id, totals] of await this.store.feedbackTotals()) index.applyFeedback(id, totals.helpful, totals.notHelpful);
    this.index = index;
    this.articles = new Map(articles.map((a) => [`${a.id}|${a.lang}`, a]));
  }

  /**
   * The index of `articles` built and saved by a worker thread (search/build-index-cache.ts), then
   * loaded from the file as on a warm start: the server's heap only holds what it serves. Undefined
   * when the file cannot be written, the worker failed or its file cannot be loaded (then the caller
   * builds in this thread).
   */
  private async buildInWorker(articles: readonly Article[], cache: IndexCacheOptions & { missed: CacheMiss }): Promise<{ index: KnowledgeIndex; articles: Article[] } | undefined> {
    // A worker hands its index over through the file: where it cannot be saved, the index would be built twice.
    if (!canWriteCache(cache.file)) return undefined;
    try {
      await buildIndexCache(articles, this.synonyms, cache);
    } catch (err) {
      cache.log?.({ file: cache.file, error: err instanceof Error ? err.message : String(err) }, 'search index: the build worker failed; building in the main thread');
      return undefined;
    }
    const loaded = loadKnowledgeIndex(articles, { synonyms: this.synonyms, cache });
    return 'index' in loaded ? loaded : undefined;
  }

  /** Searches as the CLI and admins do (drafts included when asked). */
  search(query: string, options: SearchOptions) {
    return this.index.search(query, options);
  }

  get size(): number {
    return this.index.size;
  }

  answer(query: string, options: { lang: Lang; services?: readonly string[] }): KnowledgeAnswer {
    const found = this.index.answer(query, options);
    switch (found.kind) {
      case 'answer':
        return { kind: 'answer', article: toView(found.best.article), confidence: found.best.confidence };
      case 'choose':
        return { kind: 'choose', options: found.options.map((hit) => ({ article: toView(hit.article), confidence: hit.confidence })) };
      case 'none':
        return found.best ? { kind: 'none', bestConfidence: found.best.confidence } : { kind: 'none' };
    }
  }

  article(id: string, lang: Lang): ArticleView | undefined {
    const other: Lang = lang === 'fr' ? 'en' : 'fr';
    const found = this.articles.get(`${id}|${lang}`) ?? this.articles.get(`${id}|${other}`);
    return found && toView(found);
  }

  async recordFeedback(input: { articleId: string; lang: Lang; helpful: boolean; userId: string; query: string; conversationId: string }): Promise<void> {
    const totals = await this.store.recordFeedback(input);
    this.index.applyFeedback(input.articleId, totals.helpful, totals.notHelpful);
  }

  async recordGap(input: { text: string; lang: Lang; userId: string; conversationId: string; bestConfidence?: number }): Promise<void> {
    await this.store.recordGap({
      text: input.text,
      normalized: fold(input.text),
      lang: input.lang,
      userId: input.userId,
      conversationId: input.conversationId,
      bestScore: input.bestConfidence,
    });
  }
}

/** What a user is shown of an article: for a known error, the workaround comes first. */
export function toView(article: Article): ArticleView {
  const markdown = article.type === 'known-error' && article.workaround
    ? `**${say(article.lang, 'knowledge.workaroundLabel')}** ${article.workaround}\n\n${article.body}`
    : article.body;
  return { id: article.id, lang: article.lang, type: article.type, title: article.title, markdown, services: [...article.services] };
}
