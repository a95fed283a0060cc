/**
 * Drives a flow the way the core will: user texts in, replies and effects
 * out, the state stored as JSON between turns (so every test also checks
 * that the state survives a round trip, as it does in the database).
 */
import { renderPlainText } from '../../../src/core/render-text.ts';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import type { Lang } from '../../../src/core/lang.ts';
import type { ArticleView, OutboundMessage } from '../../../src/core/messages.ts';
import { resumeFlow, startFlow, step } from '../../../src/flows/engine.ts';
import { loadFlows } from '../../../src/flows/load.ts';
import type { Flow } from '../../../src/flows/schema.ts';
import type { Asset, Effect, FlowContext, FlowOutcome, KnowledgeAnswer, MajorIncident, StepResult } from '../../../src/flows/types.ts';

export const SERVICE_IDS: string[] = (parse(readFileSync('config/services.yml', 'utf8')) as { id: string }[]).map((s) => s.id);

export function realFlows(): Flow[] {
  return loadFlows('dialogs', { serviceIds: SERVICE_IDS });
}

export function fixtureFlows(name: string): Flow[] {
  return loadFlows(`test/fixtures/dialogs/${name}`, { serviceIds: SERVICE_IDS });
}

export const LAPTOP: Asset = { tag: 'LT-004211', kind: 'laptop', name: 'Dell Latitude 5440' };
export const PHONE: Asset = { tag: 'PH-000812', kind: 'phone', name: 'iPhone 14' };

export function article(id: string, lang: Lang, services: readonly string[] = ['vpn']): ArticleView {
  const title = `${lang === 'fr' ? 'Article' : 'Article in English'} ${id}`;
  return { id, lang, type: 'faq', title, markdown: lang === 'fr' ? `Étapes de **${id}**.` : `Steps of **${id}**.`, services: [...services] };
}

/**
 * A stand-in for the knowledge search: answers every query with one article
 * (KB-1, KB-2… in call order) unless told to find nothing or to offer a
 * choice; keeps the queries it was asked.
 */
export class FakeKnowledge {
  readonly queries: { query: string; services: string[] }[] = [];
  constructor(public mode: 'answer' | 'choose' | 'none' = 'answer') {}

  search = (query: string, options: { lang: Lang; services: readonly string[] }): KnowledgeAnswer => {
    this.queries.push({ query, services: [...options.services] });
    const n = this.queries.length;
    const found = (id: string) => ({ article: article(id, options.lang, options.services), confidence: 0.8 });
    if (this.mode === 'none') return { kind: 'none' };
    if (this.mode === 'choose') return { kind: 'choose', options: [found(`KB-${n}a`), found(`KB-${n}b`)] };
    return { kind: 'answer', ...found(`KB-${n}`) };
  };
}

export interface DriverOptions {
  lang?: Lang;
  assets?: Asset[];
  incidents?: MajorIncident[];
  knowledge?: FakeKnowledge;
  now?: Date;
}

export function context(options: DriverOptions = {}): FlowContext {
  const knowledge = options.knowledge ?? new FakeKnowledge();
  return {
    lang: options.lang ?? 'fr',
    now: options.now ?? new Date('2026-11-23T09:30:00Z'),
    timeZone: 'Europe/Paris',
    user: { id: 'u-alice', displayName: 'Alice Martin' },
    facts: { assets: options.assets ?? [LAPTOP], openMajorIncidents: options.incidents ?? [] },
    search: knowledge.search,
  };
}

export class FlowDriver {
  readonly ctx: FlowContext;
  /** The stored state, as JSON text (what the database keeps); null once the flow ended. */
  stored: string | null = null;
  readonly results: StepResult[] = [];

  constructor(
    readonly flows: Flow[],
    readonly flowId: string,
    options: DriverOptions = {},
  ) {
    this.ctx = context(options);
  }

  get flow(): Flow {
    const flow = this.flows.find((f) => f.id === this.flowId);
    if (!flow) throw new Error(`test: no flow "${this.flowId}"`);
    return flow;
  }

  start(utterance = ''): StepResult {
    return this.keep(startFlow(this.flow, this.ctx, { text: utterance }));
  }

  /** Sends the user's text to the flow, resuming from the stored JSON like the core after a restart. */
  user(text: string): StepResult {
    if (this.stored === null) throw new Error(`test: the flow has ended, cannot send "${text}"`);
    const resumed = resumeFlow(this.flows, JSON.parse(this.stored), this.ctx);
    if (resumed.kind !== 'continue') return this.keep(resumed.result);
    return this.keep(step(resumed.flow, resumed.state, { text }, this.ctx));
  }

  /** Sends each text in turn; fails the test if the flow ends before the last one. */
  say(texts: string[]): StepResult {
    let last: StepResult | undefined;
    for (const text of texts) last = this.user(text);
    if (!last) throw new Error('test: nothing to say');
    return last;
  }

  private keep(result: StepResult): StepResult {
    this.results.push(result);
    this.stored = result.state ? JSON.stringify(result.state) : null;
    return result;
  }

  get ended(): boolean {
    return this.stored === null;
  }

  get outcome(): FlowOutcome | undefined {
    return this.results.at(-1)?.outcome;
  }

  get effects(): Effect[] {
    return this.results.flatMap((r) => r.effects);
  }

  get replies(): OutboundMessage[] {
    return this.results.flatMap((r) => r.replies);
  }

  lastReplies(): OutboundMessage[] {
    return this.results.at(-1)?.replies ?? [];
  }

  /** The text of a reply, whatever its type. */
  static textOf(m: OutboundMessage): string {
    if (m.type === 'markdown') return m.markdown;
    if (m.type === 'article') return `${m.article.title}\n${m.article.markdown}`;
    if (m.type === 'text' || m.type === 'choices') return m.text;
    return renderPlainText(m);
  }

  lastText(): string {
    const last = this.lastReplies().at(-1);
    return last ? FlowDriver.textOf(last) : '';
  }

  tickets() {
    return this.effects.flatMap((e) => (e.kind === 'create-ticket' ? [e.ticket] : []));
  }
}
