/**
 * User feedback as a bounded, smoothed ranking multiplier.
 *
 * net = (helpful − notHelpful) / (helpful + notHelpful + PRIOR_VOTES) lies in
 * (−1, 1); the score is multiplied by 1 + MAX_FEEDBACK_EFFECT × net. So the
 * effect is never more than ±20 % of the score (feedback reorders close
 * answers, it cannot bury a clearly better match), and few votes move little:
 * one 👍 gives +3.3 %, 5 give +10 %, 20 give +16 %.
 */
export interface FeedbackCounts {
  helpful: number;
  notHelpful: number;
}

/** Largest relative change of a score due to feedback. */
export const MAX_FEEDBACK_EFFECT = 0.2;
/** Pseudo-votes of a neutral prior: with n votes, feedback has n / (n + 5) of its full effect. */
export const PRIOR_VOTES = 5;

export function feedbackFactor(counts: FeedbackCounts | undefined): number {
  if (!counts) return 1;
  const { helpful, notHelpful } = counts;
  const net = (helpful - notHelpful) / (helpful + notHelpful + PRIOR_VOTES);
  return 1 + MAX_FEEDBACK_EFFECT * net;
}
