/**
 * The search index cache (src/knowledge/search/index-cache.ts) and the intent classifier cache
 * (src/nlu/intents/cache.ts): a loaded index answers exactly as a built one; a cache built on
 * other synonyms, tuning or articles is ignored; a corrupt file is rebuilt without an error.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { loadKnowledgeDir } from '../../../../src/knowledge/load-knowledge-dir.ts';
import { buildKnowledgeIndex, loadKnowledgeIndex, type KnowledgeIndex } from '../../../../src/knowledge/search/knowledge-search.ts';
import { loadServiceIds } from '../../../../src/catalog/services.ts';
import { cachedIntentClassifier, trainIntentClassifier } from '../../../../src/nlu/intents/index.ts';
import { loadSynonymFile } from '../../../../src/nlu/synonyms.ts';

const articles = loadKnowledgeDir('knowledge', loadServiceIds('config')).articles;
const synonyms = loadSynonymFile('knowledge/synonyms.yml');
const dir = mkdtempSync(join(tmpdir(), 'guichet-index-cache-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const QUERIES = [
  ['mot de passe oublié', 'fr'],
  ['outlook keeps asking for my password', 'en'],
  ['le vpn ne se connecte plus', 'fr'],
  ['imprimante', 'fr'],
  ['teams camera not working', 'en'],
  ['mfa nouveau téléphone', 'fr'],
  ['wifi', 'en'],
] as const;
const hits = (index: KnowledgeIndex) =>
  QUERIES.map(([q, lang]) => index.search(q, { lang }).map((h) => ({ id: h.ref.id, lang: h.ref.lang, score: h.score, coverage: h.coverage, focus: h.focus, confidence: h.confidence, highlights: h.highlights })));
const answers = (index: KnowledgeIndex) => QUERIES.map(([q, lang]) => index.answer(q, { lang }));

describe('search index cache', () => {
  it('loads an index that gives the same hits, scores and answers as a fresh build, and does not build again', () => {
    const log = vi.fn();
    const cache = { file: join(dir, 'same.bin'), log };
    const fresh = buildKnowledgeIndex(articles, { synonyms });
    const built = buildKnowledgeIndex(articles, { synonyms, cache });
    expect(log).toHaveBeenCalledTimes(1);
    expect(log.mock.calls[0]?.[0]).toMatchObject({ reason: 'missing', articles: articles.length });
    const loaded = buildKnowledgeIndex(articles, { synonyms, cache });
    expect(log).toHaveBeenCalledTimes(1);
    expect(hits(fresh).flat().length).toBeGreaterThan(20);
    expect(hits(built)).toEqual(hits(fresh));
    expect(hits(loaded)).toEqual(hits(fresh));
    expect(answers(loaded)).toEqual(answers(fresh));
    expect(loaded.size).toBe(fresh.size);

    // From the versions alone (a start with nothing changed): the saved articles come with it.
    const versions = articles.map(({ id, lang, ...rest }) => ({ id, lang, ...rest }));
    const fromVersions = loadKnowledgeIndex(versions, { synonyms, cache });
    if (!('index' in fromVersions)) throw new Error(`not loaded: ${fromVersions.miss}`);
    expect(fromVersions.articles).toHaveLength(articles.length);
    // Every saved article as it was, its body read back from the saved UTF-8 (index-cache.ts `lazyBodies`) and seen by a spread.
    const byKey = (list: readonly { id: string; lang: string }[]) => [...list].sort((a, b) => `${a.lang}:${a.id}`.localeCompare(`${b.lang}:${b.id}`));
    expect(byKey(fromVersions.articles)).toEqual(byKey(articles));
    expect(fromVersions.articles.map((a) => ({ ...a }).body)).toEqual(fromVersions.articles.map((a) => articles.find((b) => b.id === a.id && b.lang === a.lang)?.body));
    expect(hits(fromVersions.index)).toEqual(hits(fresh));
  });

  it('ignores a cache built on other synonyms, tuning or articles', () => {
    const log = vi.fn();
    const cache = { file: join(dir, 'stale.bin'), log };
    buildKnowledgeIndex(articles, { synonyms, cache });
    const reasons = () => log.mock.calls.map((c) => (c[0] as { reason: string }).reason);
    buildKnowledgeIndex(articles, { synonyms: synonyms.slice(1), cache });
    expect(reasons()).toEqual(['missing', 'stale']);
    const tuned = buildKnowledgeIndex(articles, { synonyms: synonyms.slice(1), cache, tuning: { boosts: { title: 7 } } });
    expect(reasons()).toEqual(['missing', 'stale', 'stale']);
    expect(hits(tuned)).toEqual(hits(buildKnowledgeIndex(articles, { synonyms: synonyms.slice(1), tuning: { boosts: { title: 7 } } })));
    const edited = articles.map((a) => (a.id === 'FAQ-0002' && a.lang === 'fr' ? { ...a, title: 'Un tout autre titre de test' } : a));
    const rebuilt = buildKnowledgeIndex(edited, { synonyms: synonyms.slice(1), cache, tuning: { boosts: { title: 7 } } });
    expect(reasons()).toEqual(['missing', 'stale', 'stale', 'stale']);
    expect(rebuilt.search('un tout autre titre de test', { lang: 'fr' })[0]?.ref).toEqual({ id: 'FAQ-0002', lang: 'fr' });
    expect(loadKnowledgeIndex(articles, { synonyms, cache })).toEqual({ miss: 'stale' });
  });

  it("builds without reading the file when told the caller's load just missed (missed), and says why", () => {
    const log = vi.fn();
    const cache = { file: join(dir, 'missed.bin'), log };
    buildKnowledgeIndex(articles, { synonyms, cache });
    // The file holds this very index: without `missed` it would be loaded, not built.
    const rebuilt = buildKnowledgeIndex(articles, { synonyms, cache: { ...cache, missed: 'stale' } });
    expect(log.mock.calls.map((c) => (c[0] as { reason: string }).reason)).toEqual(['missing', 'stale']);
    expect(hits(rebuilt)).toEqual(hits(buildKnowledgeIndex(articles, { synonyms })));
  });

  it('rebuilds over a corrupt or truncated file, without throwing, and loads the rewritten one', () => {
    const log = vi.fn();
    const cache = { file: join(dir, 'corrupt.bin'), log };
    const fresh = buildKnowledgeIndex(articles, { synonyms });
    writeFileSync(cache.file, 'not a cache at all');
    expect(hits(buildKnowledgeIndex(articles, { synonyms, cache }))).toEqual(hits(fresh));
    expect(log.mock.calls[0]?.[0]).toMatchObject({ reason: 'corrupt' });
    const whole = readFileSync(cache.file);
    writeFileSync(cache.file, whole.subarray(0, Math.floor(whole.length / 2)));
    expect(hits(buildKnowledgeIndex(articles, { synonyms, cache }))).toEqual(hits(fresh));
    expect(log.mock.calls[1]?.[0]).toMatchObject({ reason: 'corrupt' });
    expect(hits(buildKnowledgeIndex(articles, { synonyms, cache }))).toEqual(hits(fresh));
    expect(log).toHaveBeenCalledTimes(2);
  });
});

describe('intent classifier cache', () => {
  const examples = [
    ...['my password expired', 'reset my password', 'forgot password', 'I cannot log in, password'].map((text) => ({ text, intent: 'password', lang: 'en' as const })),
    ...['the printer is jammed', 'printer out of toner', 'cannot print', 'printing fails'].map((text) => ({ text, intent: 'printer', lang: 'en' as const })),
    ...['vpn does not connect', 'vpn keeps dropping', 'no vpn access', 'remote access vpn broken'].map((text) => ({ text, intent: 'vpn', lang: 'en' as const })),
  ];
  const options = { outOfScope: ['what is the weather', 'tell me a joke', 'who won the match'], folds: 2 };

  it('trains once (in a worker thread), then loads a classifier that answers as a trained one; other examples or a corrupt file train again', async () => {
    const log = vi.fn();
    const cache = { file: join(dir, 'intents.bin'), log };
    const reference = trainIntentClassifier(examples, options);
    const trained = await cachedIntentClassifier(examples, options, cache);
    expect(log).toHaveBeenCalledTimes(1);
    expect(log.mock.calls[0]?.[0]).toMatchObject({ reason: 'missing', worker: true });
    expect(log.mock.calls[0]?.[0]).not.toHaveProperty('workerError');
    const loaded = await cachedIntentClassifier(examples, options, cache);
    expect(log).toHaveBeenCalledTimes(1);
    for (const text of ['password reset please', 'printer jammed again', 'tell me a story', 'vpn']) {
      expect(trained.classify(text, 'en')).toEqual(reference.classify(text, 'en'));
      expect(loaded.classify(text, 'en')).toEqual(reference.classify(text, 'en'));
    }
    expect(loaded.threshold).toBe(reference.threshold);

    await cachedIntentClassifier(examples.slice(1), options, cache);
    expect(log.mock.calls[1]?.[0]).toMatchObject({ reason: 'stale', worker: true });
    await cachedIntentClassifier(examples, { ...options, seed: 2 }, cache);
    expect(log.mock.calls[2]?.[0]).toMatchObject({ reason: 'stale' });
    writeFileSync(cache.file, 'garbage');
    expect((await cachedIntentClassifier(examples, options, cache)).classify('cannot print', 'en')).toEqual(reference.classify('cannot print', 'en'));
    expect(log.mock.calls[3]?.[0]).toMatchObject({ reason: 'corrupt' });
  });

  it('trains in the thread when the worker cannot, and says why', async () => {
    const log = vi.fn();
    // An example the worker cannot clone (a function) makes the worker fail to start: the job falls back.
    const odd = [...examples.slice(0, -1), { ...examples.at(-1)!, note: () => undefined }];
    const classifier = await cachedIntentClassifier(odd, options, { file: join(dir, 'fallback.bin'), log });
    expect(log.mock.calls[0]?.[0]).toMatchObject({ worker: false, workerError: expect.any(String) });
    expect(classifier.classify('cannot print', 'en')).toEqual(trainIntentClassifier(examples, options).classify('cannot print', 'en'));
  });
});
