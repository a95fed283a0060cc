/**
 * Guide or article? A first message the knowledge base answers clearly (one
 * article, high confidence) gets the article when the classifier's guess at a
 * guide is clearly weaker: "comment mettre un message d'absence", "battery
 * stuck at 80%" or "Salesforce tourne en boucle" want the answer, not a
 * diagnosis. A how-to question leans further to the article. When the guide is
 * as likely, the guide wins (it searches the same articles on its way) — except:
 * an article about another service than the guide's ("SAP refuse la connexion
 * depuis chez moi" is no VPN diagnosis) wins when it is about as likely.
 * The thresholds were chosen on the tuning part of bench/data/conversations-tune.jsonl.
 */
import type { KnowledgeAnswer } from '../ports.ts';

/** Lowest confidence of an article shown instead of a guide. */
const MIN_ARTICLE = 0.6;
/** How much more confident the article must be than the guide. */
const MARGIN = 0.3;
/** The same, for a how-to question ("comment …", "how do I …"). */
const HOW_TO_MARGIN = 0.15;
/** An article of another service: lowest confidence, and how much less confident than the guide it may be. */
const OTHER_SERVICE_MIN = 0.5;
const OTHER_SERVICE_SLACK = 0.05;
const HOW_TO = /^(?:comment|how (?:do|can|to|should)|how's|ou (?:est|trouver)|where (?:is|do|can)|c'est quoi|what is|what's|qu'est ce)\b/;

export function articleBeatsGuide(
  found: KnowledgeAnswer,
  intent: { name: string | null; confidence: number } | undefined,
  folded: string,
  guideService?: string,
): boolean {
  if (found.kind !== 'answer') return false;
  if (!intent?.name) return found.confidence >= MIN_ARTICLE;
  const { article, confidence } = found;
  if (guideService && !article.services.includes(guideService) && confidence >= OTHER_SERVICE_MIN && confidence >= intent.confidence - OTHER_SERVICE_SLACK) return true;
  if (confidence < MIN_ARTICLE) return false;
  const margin = HOW_TO.test(folded) ? HOW_TO_MARGIN : MARGIN;
  return confidence >= intent.confidence + margin;
}
