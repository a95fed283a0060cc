import { describe, expect, it } from 'vitest';
import { recognizeConfirmation } from '../../../src/core/commands.ts';
import type { Lang } from '../../../src/core/lang.ts';
import { MemoryConversationStore } from '../../../src/core/memory-stores.ts';
import type { ArticleView } from '../../../src/core/messages.ts';
import type { KnowledgeAnswer, KnowledgeBase } from '../../../src/core/ports.ts';
import { FakeChannel, memoryDeps } from '../../helpers/fake-channel.ts';

const article = (id: string, title: string, lang: Lang = 'fr'): ArticleView => ({ id, lang, type: 'faq', title, markdown: `Steps for ${title}`, services: ['identity'] });

/** A knowledge base with canned answers per query, recording what the core tells it. */
class FakeKnowledge implements KnowledgeBase {
  readonly feedback: { articleId: string; helpful: boolean; query: string }[] = [];
  readonly gaps: string[] = [];
  constructor(private readonly answers: Record<string, KnowledgeAnswer>, private readonly articles: ArticleView[] = []) {}
  answer(query: string): KnowledgeAnswer {
    return this.answers[query] ?? { kind: 'none' };
  }
  article(id: string): ArticleView | undefined {
    return this.articles.find((a) => a.id === id);
  }
  async recordFeedback(input: { articleId: string; helpful: boolean; query: string }): Promise<void> {
    this.feedback.push({ articleId: input.articleId, helpful: input.helpful, query: input.query });
  }
  async recordGap(input: { text: string }): Promise<void> {
    this.gaps.push(input.text);
  }
}

const reset = article('FAQ-0002', 'Mot de passe oublié');
const lock = article('FAQ-0003', 'Compte verrouillé');

function chatWith(knowledge: FakeKnowledge, conversations = new MemoryConversationStore()) {
  return new FakeChannel(memoryDeps({ knowledge, conversations }));
}

describe('answering questions from the knowledge base', () => {
  it('shows the article and asks whether it fixed the problem', async () => {
    const kb = new FakeKnowledge({ 'mdp oublié': { kind: 'answer', article: reset, confidence: 0.9 } });
    const chat = chatWith(kb);
    await chat.user('mdp oublié');
    expect(chat.lastReplies()).toEqual([
      { type: 'article', article: reset, confidence: 0.9 },
      { type: 'choices', text: 'Est-ce que cela a résolu votre problème ?', choices: [{ label: '✅ Oui, c’est résolu', value: 'Oui, c’est résolu' }, { label: '❌ Non, pas utile', value: 'Non, pas utile' }] },
    ]);
  });

  it('records "that fixed it" once the turn is committed, and only once for a retried delivery', async () => {
    const kb = new FakeKnowledge({ 'mdp oublié': { kind: 'answer', article: reset, confidence: 0.9 } });
    const chat = chatWith(kb);
    await chat.user('mdp oublié');
    await chat.user('Oui, c’est résolu', { deliveryId: 'fb-1' });
    await chat.user('Oui, c’est résolu', { deliveryId: 'fb-1' });
    expect(chat.lastText()).toMatch(/^Parfait, content que ce soit réglé/);
    expect(kb.feedback).toEqual([{ articleId: 'FAQ-0002', helpful: true, query: 'mdp oublié' }]);
  });

  it('records "not helpful", also when a yes is contradicted', async () => {
    const kb = new FakeKnowledge({ 'vpn ko': { kind: 'answer', article: reset, confidence: 0.8 } });
    const chat = chatWith(kb);
    await chat.user('vpn ko');
    await chat.user('oui mais ça ne marche toujours pas');
    expect(kb.feedback).toEqual([{ articleId: 'FAQ-0002', helpful: false, query: 'vpn ko' }]);
    expect(chat.lastText()).toMatch(/^Désolé que cela n’ait pas suffi/);
  });

  it('treats another question after an answer as a new question, not as feedback', async () => {
    const kb = new FakeKnowledge({
      'mdp oublié': { kind: 'answer', article: reset, confidence: 0.9 },
      'compte bloqué': { kind: 'answer', article: lock, confidence: 0.9 },
    });
    const chat = chatWith(kb);
    await chat.user('mdp oublié');
    await chat.user('compte bloqué');
    expect(kb.feedback).toEqual([]);
    expect(chat.lastReplies()[0]).toMatchObject({ type: 'article', article: { id: 'FAQ-0003' } });
  });

  it('offers a choice between close answers and shows the one picked by number or title', async () => {
    const kb = new FakeKnowledge(
      { 'problème de connexion': { kind: 'choose', options: [{ article: reset, confidence: 0.5 }, { article: lock, confidence: 0.45 }] } },
      [reset, lock],
    );
    const chat = chatWith(kb);
    await chat.user('problème de connexion');
    expect(chat.lastReplies()).toEqual([
      {
        type: 'choices',
        text: 'J’ai trouvé plusieurs réponses possibles. Laquelle correspond à votre problème ?',
        choices: [
          { label: 'Mot de passe oublié', value: 'Mot de passe oublié' },
          { label: 'Compte verrouillé', value: 'Compte verrouillé' },
          { label: 'Aucune de celles-ci', value: 'Aucune de celles-ci' },
        ],
      },
    ]);
    await chat.user('2');
    expect(chat.lastReplies()[0]).toMatchObject({ type: 'article', article: { id: 'FAQ-0003' } });
    await chat.user('problème de connexion');
    await chat.user('compte verrouillé');
    expect(chat.lastReplies()[0]).toMatchObject({ type: 'article', article: { id: 'FAQ-0003' } });
  });

  it('records a knowledge gap when nothing fits, or when the user rejects every choice', async () => {
    const kb = new FakeKnowledge(
      { 'écran qui clignote': { kind: 'choose', options: [{ article: reset, confidence: 0.5 }, { article: lock, confidence: 0.45 }] } },
      [reset, lock],
    );
    const chat = chatWith(kb);
    await chat.user('ma plante verte est triste');
    expect(chat.lastText()).toMatch(/^Je n’ai pas trouvé de réponse fiable/);
    await chat.user('écran qui clignote');
    await chat.user('Aucune de celles-ci');
    expect(kb.gaps).toEqual(['ma plante verte est triste', 'écran qui clignote']);
  });

  it('keeps the turn when recording feedback fails, and reports the failure', async () => {
    const errors: unknown[] = [];
    const kb = new FakeKnowledge({ 'mdp oublié': { kind: 'answer', article: reset, confidence: 0.9 } });
    kb.recordFeedback = async () => {
      throw new Error('database down');
    };
    const chat = new FakeChannel(memoryDeps({ knowledge: kb, onEffectError: (e) => errors.push(e) }));
    await chat.user('mdp oublié');
    await chat.user('oui');
    expect(chat.lastText()).toMatch(/^Parfait/);
    expect(errors).toHaveLength(1);
  });
});

describe('recognizeConfirmation', () => {
  it.each([
    ['yes', 'yes'], ['Oui !', 'yes'], ['ok merci', 'yes'], ['merci ça marche', 'yes'], ['c’est bon', 'yes'], ['that fixed it', 'yes'], ['problème résolu', 'yes'],
    ['no', 'no'], ['Non, pas utile', 'no'], ['toujours pas', 'no'], ['yes… but it still crashes', 'no'], ['oui mais ça plante encore', 'no'],
    ['still broken', 'no'], ['ça ne marche pas', 'no'], ['it didn’t help', 'no'], ['same error', 'no'], ['pas du tout', 'no'], ['Absolument pas.', 'no'], ['not at all', 'no'],
  ])('"%s" → %s', (text, expected) => {
    expect(recognizeConfirmation(text)).toBe(expected);
  });

  it.each(['thanks', 'merci', 'the printer on floor 3', ''])('"%s" is no answer', (text) => {
    expect(recognizeConfirmation(text)).toBeUndefined();
  });
});
