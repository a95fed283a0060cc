/**
 * Knowledge curation from chat, for admins only (the role is checked here, on
 * the server, from the user record — never from the message). Commands, in
 * English or French:
 *
 *   kb search <query>          kb chercher <requête>        drafts included
 *   kb show <ID> [fr|en]       kb afficher <ID> [fr|en]     the article as a file
 *   kb new <type> [fr|en]      kb nouveau <type> [fr|en]    a template with the next free id
 *   kb draft + article text    kb brouillon + texte         save as draft (validated)
 *   kb save + article text     kb enregistrer + texte       save with the status written in it
 *   kb publish <ID> [fr|en]    kb publier <ID> [fr|en]      both languages when none given
 *   kb retire <ID> [fr|en]     kb retirer <ID> [fr|en]
 *   kb from-ticket <N> [service]   kb depuis-ticket <N> [service]   draft an FAQ from a resolved ticket
 *
 * The article text is what a knowledge file holds (front matter + body), on
 * the lines after the command.
 */
import type { Lang } from '../core/lang.ts';
import type { CommandContext, CommandHandler } from '../core/ports.ts';
import type { OutboundMessage } from '../core/messages.ts';
import { ARTICLE_TYPES, parseArticle, serializeArticle, type Article, type ArticleStatus, type ArticleType } from './article.ts';
import type { ArticleStore } from './article-store.ts';
import { buildKnowledgeIndex } from './search/knowledge-search.ts';
import type { SynonymRule } from '../nlu/synonyms.ts';
import { say } from '../texts/index.ts';
import { draftFromTicket, type ResolvedTicketSource } from './ticket-draft.ts';

const VERBS: Record<string, Verb> = {
  search: 'search', chercher: 'search', rechercher: 'search',
  show: 'show', afficher: 'show', voir: 'show',
  new: 'new', nouveau: 'new', nouvelle: 'new',
  draft: 'draft', brouillon: 'draft',
  save: 'save', enregistrer: 'save',
  publish: 'publish', publier: 'publish',
  retire: 'retire', retirer: 'retire',
  'from-ticket': 'from-ticket', 'depuis-ticket': 'from-ticket',
};
type Verb = 'search' | 'show' | 'new' | 'draft' | 'save' | 'publish' | 'retire' | 'from-ticket';

/** "kb" as a word: a Windows update number ("KB5034441 won't install") is a question, not a command. */
const COMMAND = /^\/?kb(?=\s|$)(?:\s+(\S+))?([^\n]*)(?:\n([\s\S]*))?$/i;
const ARTICLE_ID = /^(?:FAQ|KE|PROC)-\d{4}$/;

export interface CurationDeps {
  store: ArticleStore;
  serviceIds: readonly string[];
  synonyms?: readonly SynonymRule[];
  tickets?: ResolvedTicketSource;
  /** Called after every change, so that users' search sees it (rebuilds the index). */
  changed(): Promise<void>;
  today(): string;
}

export function createCurationCommands(deps: CurationDeps): CommandHandler {
  return {
    async handle(ctx: CommandContext): Promise<OutboundMessage[] | undefined> {
      const match = COMMAND.exec(ctx.text.trim());
      if (!match) return undefined;
      const lang = ctx.lang;
      if (ctx.user.role !== 'admin') return text(say(lang, 'curation.adminsOnly'));
      const verb = VERBS[(match[1] ?? '').toLowerCase()];
      if (!verb) return markdown(say(lang, 'curation.usage'));
      const args = (match[2] ?? '').trim().split(/\s+/).filter(Boolean);
      const rest = match[3] ?? '';
      const meta = { authorId: ctx.user.id };
      switch (verb) {
        case 'search':
          return search(deps, lang, args.join(' '));
        case 'show':
          return show(deps, lang, args);
        case 'new':
          return template(deps, lang, args);
        case 'draft':
        case 'save':
          return save(deps, lang, rest, verb === 'draft' ? 'draft' : undefined, meta.authorId);
        case 'publish':
        case 'retire':
          return setStatus(deps, lang, args, verb === 'publish' ? 'published' : 'retired', meta.authorId);
        case 'from-ticket':
          return fromTicket(deps, lang, args, meta.authorId);
      }
    },
  };
}

async function search(deps: CurationDeps, lang: Lang, query: string): Promise<OutboundMessage[]> {
  if (!query) return text(say(lang, 'curation.usage'));
  const articles = await deps.store.list({ statuses: ['draft', 'published'] });
  const index = buildKnowledgeIndex(articles, { synonyms: deps.synonyms ?? [] });
  const hits = index.search(query, { lang, statuses: ['draft', 'published'], limit: 5, highlights: false });
  if (hits.length === 0) return text(say(lang, 'curation.nothingFound'));
  const lines = hits.map((h) => `- \`${h.article.id}\` (${h.article.lang}, ${h.article.status}) ${escapeMd(h.article.title)} — ${Math.round(h.confidence * 100)} %`);
  return markdown(lines.join('\n'));
}

async function show(deps: CurationDeps, lang: Lang, args: string[]): Promise<OutboundMessage[]> {
  const target = parseTarget(args);
  if (!target) return text(say(lang, 'curation.needId'));
  const article = await deps.store.get(target.id, target.lang ?? lang);
  if (!article) return text(say(lang, 'curation.unknownArticle', { id: target.id }));
  const header = say(lang, 'curation.articleHeader', { id: article.id, lang: article.lang, status: article.status, revision: String(article.revision), source: article.source });
  return markdown(`${header}\n\n${fence(serializeArticle(article))}`);
}

async function template(deps: CurationDeps, lang: Lang, args: string[]): Promise<OutboundMessage[]> {
  const type = ARTICLE_TYPES.find((t) => t === args[0]) as ArticleType | undefined;
  if (!type) return text(say(lang, 'curation.needType', { types: ARTICLE_TYPES.join(', ') }));
  const articleLang = args[1] === 'fr' || args[1] === 'en' ? args[1] : lang;
  const id = await deps.store.nextId(type);
  const skeleton: Article = {
    id, type, lang: articleLang, title: '…', tags: ['…', '…', '…'], services: [deps.serviceIds[0] ?? 'identity'], symptoms: ['…', '…'],
    ...(type === 'known-error' ? { cause: '…', workaround: '…' } : {}),
    status: 'draft', updated: deps.today(), body: '…',
  };
  return markdown(`${say(lang, 'curation.templateIntro')}\n\n${fence(`kb draft\n${serializeArticle(skeleton)}`)}`);
}

async function save(deps: CurationDeps, lang: Lang, raw: string, forceStatus: ArticleStatus | undefined, authorId: string): Promise<OutboundMessage[]> {
  const source = unfence(raw);
  if (!source.trim()) return markdown(say(lang, 'curation.needArticleText'));
  const parsed = parseArticle(source, deps.serviceIds, 'chat');
  const errors = parsed.issues.filter((i) => i.severity === 'error');
  if (!parsed.article || errors.length > 0) {
    return markdown(`${say(lang, 'curation.invalidArticle')}\n${errors.map((e) => `- ${e.field ? `\`${e.field}\`: ` : ''}${escapeMd(e.problem)}`).join('\n')}`);
  }
  const article: Article = { ...parsed.article, ...(forceStatus ? { status: forceStatus } : {}), updated: deps.today() };
  const outcome = await deps.store.save(article, { source: 'chat', authorId, reason: `saved in chat as ${article.status}` });
  await deps.changed();
  const warnings = parsed.issues.filter((i) => i.severity === 'warning').map((w) => `- ${escapeMd(w.problem)}`);
  return markdown([say(lang, outcome === 'unchanged' ? 'curation.unchanged' : 'curation.saved', { id: article.id, lang: article.lang, status: article.status }), ...warnings].join('\n'));
}

async function setStatus(deps: CurationDeps, lang: Lang, args: string[], status: ArticleStatus, authorId: string): Promise<OutboundMessage[]> {
  const target = parseTarget(args);
  if (!target) return text(say(lang, 'curation.needId'));
  const langs: Lang[] = target.lang ? [target.lang] : ['fr', 'en'];
  const changed: Lang[] = [];
  for (const l of langs) {
    if (await deps.store.setStatus(target.id, l, status, { authorId, reason: `${status} in chat` })) changed.push(l);
  }
  if (changed.length === 0) return text(say(lang, 'curation.unknownArticle', { id: target.id }));
  await deps.changed();
  return text(say(lang, status === 'published' ? 'curation.published' : 'curation.retired', { id: target.id, langs: changed.join(', ') }));
}

async function fromTicket(deps: CurationDeps, lang: Lang, args: string[], authorId: string): Promise<OutboundMessage[]> {
  const number = Number(args[0]?.replace(/^#/, ''));
  if (!Number.isInteger(number) || number <= 0) return text(say(lang, 'curation.needTicket'));
  const ticket = await deps.tickets?.resolved(number);
  if (!ticket) return text(say(lang, 'curation.ticketNotResolved', { number: String(number) }));
  const service = args[1] ?? ticket.serviceId ?? undefined;
  if (!service || !deps.serviceIds.includes(service)) return text(say(lang, 'curation.needService', { services: deps.serviceIds.join(', ') }));
  const draft = draftFromTicket(ticket, { id: await deps.store.nextId('faq'), lang, service, today: deps.today() });
  await deps.store.save(draft, { source: 'ticket', authorId, reason: `drafted from ticket #${number}` });
  await deps.changed();
  return markdown(`${say(lang, 'curation.draftedFromTicket', { id: draft.id, number: String(number) })}\n\n${fence(serializeArticle(draft))}`);
}

function parseTarget(args: string[]): { id: string; lang?: Lang } | undefined {
  const id = args[0]?.toUpperCase();
  if (!id || !ARTICLE_ID.test(id)) return undefined;
  const l = args[1]?.toLowerCase();
  return { id, lang: l === 'fr' || l === 'en' ? l : undefined };
}

/** Accepts the article pasted raw or inside a ``` fence. */
function unfence(raw: string): string {
  const m = /^\s*```[\w-]*\n([\s\S]*?)\n```\s*$/.exec(raw);
  return m ? m[1]! : raw;
}

function fence(body: string): string {
  const ticks = body.includes('```') ? '````' : '```';
  return `${ticks}\n${body.trimEnd()}\n${ticks}`;
}

/** Article titles are admin content, but a title is still shown as text, not Markdown. */
function escapeMd(s: string): string {
  return s.replace(/([\\`*_[\]<>#|])/g, '\\$1');
}

const text = (t: string): OutboundMessage[] => [{ type: 'text', text: t }];
const markdown = (m: string): OutboundMessage[] => [{ type: 'markdown', markdown: m }];
