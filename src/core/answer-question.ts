/**
 * The knowledge side of a turn: answer a question from the knowledge base,
 * let the user pick between close answers, and read "did this fix it?".
 * Ratings and knowledge gaps are returned as effects, carried out once the
 * turn is committed (so a retried delivery never counts twice).
 */
import { fold, recognizeConfirmation } from './commands.ts';
import type { Lang } from './lang.ts';
import type { ArticleView, OutboundMessage } from './messages.ts';
import type { KnowledgeBase } from './ports.ts';
import type { ConversationState } from './state.ts';
import { say } from '../texts/index.ts';

/** Work done after the turn is committed. */
export type Effect = () => Promise<void>;

export interface QuestionContext {
  knowledge: KnowledgeBase;
  userId: string;
  conversationId: string;
  lang: Lang;
  text: string;
  state: ConversationState;
  /** When nothing good is found, offer a ticket or a person (only where a ticket desk is plugged in). */
  offerHelp?: boolean;
}

export interface Reply {
  replies: OutboundMessage[];
  state: ConversationState;
  effects: Effect[];
}

/** Answers what the last message asked ("did this fix it?", "which one?"), or undefined when the text is something else. */
export function continuePending(ctx: QuestionContext): Reply | undefined {
  const pending = ctx.state.pending;
  if (!pending) return undefined;
  const state: ConversationState = { ...ctx.state, pending: undefined };
  if (pending.kind === 'article-feedback') {
    const verdict = recognizeConfirmation(ctx.text);
    if (!verdict) return undefined;
    const helpful = verdict === 'yes';
    const { knowledge, userId, conversationId, lang } = ctx;
    const feedback: Effect = () => knowledge.recordFeedback({ articleId: pending.articleId, lang: pending.lang, helpful, userId, query: pending.query, conversationId });
    if (!helpful) return { ...notFound(ctx, 'sorryNotFixed', pending.query, state), effects: [feedback] };
    return { replies: [{ type: 'text', text: say(lang, 'core.gladFixed') }], state, effects: [feedback] };
  }
  if (pending.kind !== 'article-choice') return undefined;
  const picked = pickOption(ctx.text, pending.options);
  if (picked === 'none') {
    return { ...notFound(ctx, 'sorryNotFixed', pending.query, state), effects: [gap(ctx, pending.query)] };
  }
  const article = picked && ctx.knowledge.article(picked.id, ctx.lang);
  if (!article) return undefined;
  return showArticle(ctx.lang, { ...ctx, state }, article, pending.query);
}

/** Looks the question up in the knowledge base: one answer, a choice, or "nothing reliable" (a knowledge gap). */
export function answerQuestion(ctx: QuestionContext): Reply {
  const found = ctx.knowledge.answer(ctx.text, { lang: ctx.lang });
  const state: ConversationState = { ...ctx.state, pending: undefined };
  switch (found.kind) {
    case 'answer':
      return showArticle(ctx.lang, { ...ctx, state }, found.article, ctx.text, found.confidence);
    case 'choose':
      return {
        replies: [
          {
            type: 'choices',
            text: say(ctx.lang, 'core.chooseArticle'),
            choices: [
              ...found.options.map(({ article }) => ({ label: article.title, value: article.title })),
              { label: say(ctx.lang, 'core.noneOfThese'), value: say(ctx.lang, 'core.noneOfThese') },
            ],
          },
        ],
        state: {
          ...state,
          pending: { kind: 'article-choice', query: ctx.text, options: found.options.map(({ article }) => ({ id: article.id, lang: article.lang, title: article.title })) },
        },
        effects: [],
      };
    case 'none':
      return { ...notFound(ctx, 'noAnswer', ctx.text, state), effects: [gap(ctx, ctx.text, found.bestConfidence)] };
  }
}

/** Longest question quoted in the "open a ticket: …" button (Slack and Teams cap button values). */
const MAX_OFFERED_QUERY = 300;

/**
 * Nothing good was found for `query`: say so and, where tickets exist, offer
 * a ticket about it or a person. The ticket button's value is the ticket
 * module's own command ("open a ticket: <question>"), so pressing it or
 * typing it does the same.
 */
function notFound(ctx: QuestionContext, key: 'noAnswer' | 'sorryNotFixed', query: string, state: ConversationState): Omit<Reply, 'effects'> {
  const said: OutboundMessage = { type: 'text', text: say(ctx.lang, `core.${key}`) };
  if (!ctx.offerHelp) return { replies: [said], state };
  const question = query.replace(/\s+/g, ' ').trim();
  const quoted = question.length > MAX_OFFERED_QUERY ? `${question.slice(0, MAX_OFFERED_QUERY - 1).trimEnd()}…` : question;
  return {
    replies: [said, offerHelpChoices(ctx.lang, quoted)],
    state: { ...state, pending: { kind: 'offer-help', query: quoted } },
  };
}

/** "Open a ticket" / "talk to a person" buttons; values are exactly what the ticket and flows modules parse. */
export function offerHelpChoices(lang: Lang, question: string): OutboundMessage {
  return {
    type: 'choices',
    text: say(lang, 'core.offerHelp'),
    choices: [
      { label: say(lang, 'core.openTicketButton'), value: `${say(lang, 'core.openTicketCommand')}${question}` },
      { label: say(lang, 'core.agentButton'), value: say(lang, 'core.agentCommand') },
    ],
  };
}

function showArticle(lang: Lang, ctx: QuestionContext, article: ArticleView, query: string, confidence = 1): Reply {
  return {
    replies: [
      { type: 'article', article, confidence },
      {
        type: 'choices',
        text: say(lang, 'core.didThisFix'),
        choices: [
          { label: say(lang, 'core.fixedYes'), value: say(lang, 'core.fixedYes').replace(/^\S+\s/, '') },
          { label: say(lang, 'core.fixedNo'), value: say(lang, 'core.fixedNo').replace(/^\S+\s/, '') },
        ],
      },
    ],
    state: { ...ctx.state, pending: { kind: 'article-feedback', articleId: article.id, lang: article.lang, query } },
    effects: [],
  };
}

type Option = { id: string; lang: Lang; title: string };

/** "2", an article's title or id, or "none of these" / "aucune". */
function pickOption(text: string, options: Option[]): Option | 'none' | undefined {
  const folded = fold(text);
  if (/^(?:none(?: of (?:these|them))?|aucune(?: de celles ci)?|aucun|rien de tout ca)$/.test(folded)) return 'none';
  const n = /^\d{1,2}$/.test(folded) ? Number(folded) : NaN;
  if (options[n - 1]) return options[n - 1];
  return options.find((o) => fold(o.title) === folded || o.id.toLowerCase() === folded);
}

function gap(ctx: QuestionContext, text: string, bestConfidence?: number): Effect {
  const { knowledge, userId, conversationId, lang } = ctx;
  return () => knowledge.recordGap({ text, lang, userId, conversationId, bestConfidence });
}
