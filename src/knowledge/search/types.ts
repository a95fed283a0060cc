/**
 * The types of the knowledge search shared by its modules (knowledge-search.ts
 * builds the index, answer.ts decides on its hits): kept apart so that neither
 * imports the other.
 */
import type { Lang } from '../../core/lang.ts';
import type { Article, ArticleStatus } from '../article.ts';

export interface SearchOptions {
  /** The user's language: an article is shown in it when it has that translation. */
  lang: Lang;
  /** Only articles of at least one of these services (all when absent or empty). */
  services?: readonly string[];
  /** Statuses users may see; default published only (admins may add 'draft'). */
  statuses?: readonly ArticleStatus[];
  /** Number of results, default 10. */
  limit?: number;
  /** Compute highlights (a little slower), default true. */
  highlights?: boolean;
}

export interface SearchHit {
  ref: { id: string; lang: Lang };
  article: Article;
  /** Ranking score (BM25-based, unbounded, comparable within one query only). */
  score: number;
  /** Estimated probability that this article answers the query, 0..1 (see confidence.ts). */
  confidence: number;
  /** Share of the query's information (IDF-weighted words) the article matches, 0..1. */
  coverage: number;
  /** `coverage` without typo corrections and completions (what the words as typed match), 0..1. */
  typedCoverage: number;
  /** How specific the most specific word of the query this article misses is, 0..1 (scorer.ts `missingOf`); absent: 0. */
  missing?: number;
  /** The best coverage of the query by one unit of the article (title, a symptom, a sentence), 0..1 (scorer.ts `focusOf`); absent: coverage. */
  focus?: number;
  /** The same over the title and the symptoms only (what the article says it is about), 0..1; absent: 0. */
  titleFocus?: number;
  /**
   * The query's information in the hit's index, in rare-word units: the summed IDF of its words over the IDF of a word
   * no article contains (scorer.ts `informationOf`); scale-free, unlike `score`, so that the decision's calibration
   * holds on another knowledge base. Only on the first MAX_OPTIONS + 1 hits; absent elsewhere.
   */
  information?: number;
  /** Up to two lines of the article (symptom, title or body sentence) that best match the query. */
  highlights?: string[];
}

export type Answer =
  | { kind: 'answer'; best: SearchHit }
  | { kind: 'choose'; options: SearchHit[] }
  | { kind: 'none'; best?: SearchHit };

export interface AnswerOptions {
  /** The user's language (also picks the calibration of the decision, calibration.ts). */
  lang: Lang;
  /** Only articles of these services (e.g. the service the conversation is about). */
  services?: readonly string[];
}

export interface KnowledgeIndex {
  /** Ranked hits, best first; empty when nothing matches. */
  search(query: string, options: SearchOptions): SearchHit[];
  /** What to do with the query: one answer, a choice of 2–3 close articles, or none (see answer.ts). */
  answer(query: string, options: AnswerOptions): Answer;
  /**
   * Records the feedback totals of an article (all its languages): 👍/"that
   * fixed it" count as helpful, 👎 as not helpful. Totals, not increments:
   * the database sync calls it again with new totals.
   */
  applyFeedback(articleId: string, helpful: number, notHelpful: number): void;
  /** Number of article versions indexed. */
  readonly size: number;
}

/** The calibration of the answer decision (calibration.ts). */
export interface LogisticModel {
  /** One weight per feature, in the order of the feature functions below. */
  weights: readonly number[];
  intercept: number;
}

export interface LangCalibration {
  /** P(the first hit is right) from answerFeatures. */
  answer: LogisticModel;
  /** P(one of the first MAX_OPTIONS hits is right) from choiceFeatures. */
  choose: LogisticModel;
  /** Answer directly when P(answer) is at least this. */
  answerAt: number;
  /** Otherwise offer the first hits as a choice when P(choice) is at least this. */
  chooseAt: number;
  /** Per-word evidence that a question is one the base does not cover (calibration.ts `outOfCoverage`); absent: no such feature (0). */
  words?: WordEvidence;
  /** The articles the calibration was learned with (ids); absent: every article counts as one of them. */
  articles?: readonly string[];
  /** Their titles (each language's), by id: an article known by id but with another title counts as not learned with; absent: the id suffices. */
  titles?: Readonly<Record<string, readonly string[]>>;
  /**
   * The mean agreement and word evidence over the tuning questions: what P(choice) reads where the
   * hits say nothing of them (calibration.ts `choiceInputs`: articles that name no service, a first
   * hit the word evidence was not counted with); absent: the hits' own values.
   */
  neutral?: { agreement: number; evidence: number };
  /**
   * P(choice) learned without the word evidence, and its threshold (learned like `chooseAt`, as if no tuning question's
   * evidence were known): what the decision reads when the first hit is an article the calibration was not learned
   * with (calibration.ts `choiceInputs`); absent: `choose` with the neutral evidence.
   */
  blind?: { model: LogisticModel; at: number; answer?: LogisticModel; answerAt?: number };
  /**
   * The models read the share of the question that the first hits' example questions explain (examples.ts
   * `explained`; learned for English, where it helped held out, not for French, where it moved along the curve:
   * README.md "A harder batch"); absent: they do not.
   */
  explained?: boolean;
  /**
   * The example questions the calibration was learned on, packed (examples.ts `ExampleSet.pack`): `answer` and
   * `choose` then also read how close the query comes to them (calibration.ts `nearestOf`), and `blind.answer` is
   * P(answer) without it, with its threshold `blind.answerAt` (learned with `blind.at`), for a first hit the examples
   * say nothing of. Absent: no such features.
   */
  examples?: string;
  /** The weight of the closeness to the example questions when the first hits are re-ranked (calibration.ts `rankWithExamples`); absent: 0. */
  rerank?: number;
}

/**
 * Learned from questions the base covers and questions it does not: for each
 * query term (stem), log P(term | uncovered) − log P(term | covered), with
 * add-one smoothing; `unseen` for a term in neither.
 */
export interface WordEvidence {
  terms: Readonly<Record<string, number>>;
  unseen: number;
}
