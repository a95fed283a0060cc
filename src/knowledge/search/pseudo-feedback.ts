/**
 * Pseudo relevance feedback (RM3-like, simplified): assume the best
 * documents of a first pass are relevant, and add their most telling words
 * to the query for a second pass.
 */
import { idf, SHORT_FIELDS, type LangIndex } from './lang-index.ts';
import type { PlannedTerm, QueryPlan } from './query-plan.ts';
import type { Scored } from './scorer.ts';
import type { SearchTuning } from './tuning.ts';

export function expandWithFeedback(index: LangIndex, plan: QueryPlan, scored: readonly Scored[], tuning: SearchTuning): QueryPlan {
  const { docs, terms, weight } = tuning.feedback;
  const inQuery = new Set(plan.terms.map((t) => t.term));
  const best = scored[0]?.score ?? 0;
  if (best <= 0) return plan;
  const gain = new Map<string, number>();
  for (const s of scored.slice(0, docs)) {
    const share = s.score / best;
    const tf = new Map<string, number>();
    for (const field of SHORT_FIELDS) {
      for (const term of s.doc.fields[field].split(' ')) if (term && !inQuery.has(term)) tf.set(term, (tf.get(term) ?? 0) + 1);
    }
    const length = [...tf.values()].reduce((a, b) => a + b, 0) || 1;
    for (const [term, n] of tf) gain.set(term, (gain.get(term) ?? 0) + (share * n * idf(index, term)) / length);
  }
  const top = [...gain].sort((a, b) => b[1] - a[1]).slice(0, terms);
  const max = top[0]?.[1] ?? 0;
  if (max <= 0) return plan;
  const slot0 = Math.max(...plan.terms.map((t) => t.slot)) + 1;
  const phrase0 = Math.max(...plan.terms.map((t) => t.phrase)) + 1;
  const added: PlannedTerm[] = top.map(([term, g], i) => ({
    term,
    weight: (weight * g) / max,
    slot: slot0 + i,
    phrase: phrase0 + i,
    credits: [],
    kind: 'feedback',
  }));
  return { terms: [...plan.terms, ...added], concepts: plan.concepts };
}
