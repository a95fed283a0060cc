/**
 * Guide or article? A first message the knowledge base answers clearly (one
 * article, high confidence) gets the article when the classifier's guess at a
 * guide is clearly weaker: "comment mettre un message d'absence", "battery
 * stuck at 80%" or "Salesforce tourne en boucle" want the answer, not a
 * diagnosis. A how-to question leans further to the article. When the guide is
 * as likely, the guide wins (it searches the same articles on its way).
 */
import type { KnowledgeAnswer } from '../ports.ts';

/** Lowest confidence of an article shown instead of a guide. */
const MIN_ARTICLE = 0.6;
/** How much more confident the article must be than the guide. */
const MARGIN = 0.3;
/** The same, for a how-to question ("comment …", "how do I …"). */
const HOW_TO_MARGIN = 0.15;
const HOW_TO = /^(?:comment|how (?:do|can|to|should)|how's|ou (?:est|trouver)|where (?:is|do|can)|c'est quoi|what is|what's|qu'est ce)\b/;

export function articleBeatsGuide(found: KnowledgeAnswer, intent: { name: string | null; confidence: number } | undefined, folded: string): boolean {
  if (found.kind !== 'answer' || found.confidence < MIN_ARTICLE) return false;
  if (!intent?.name) return true;
  const margin = HOW_TO.test(folded) ? HOW_TO_MARGIN : MARGIN;
  return found.confidence >= intent.confidence + margin;
}
