/**
 * The rules of an article change, shared by every ArticleStore so that the
 * in-memory and the database stores cannot disagree: what a save writes (a
 * new version, a status change, a new provenance, or nothing), the content
 * hash, the revision snapshot and the audit row's before/after. Pure.
 */
import { createHash } from 'node:crypto';
import type { Lang } from '../core/lang.ts';
import { GuichetError } from '../core/errors.ts';
import type { Article } from './article.ts';
import type { ArticleSource, ChangeMeta, SaveOutcome, StoredArticle } from './article-store.ts';

/** The fields that make an article's content, in the order they are hashed and diffed (status included, `path` not). */
export const CONTENT_FIELDS = ['type', 'title', 'tags', 'services', 'symptoms', 'cause', 'workaround', 'status', 'updated', 'body'] as const;

/** The article's content only: no `path`, no store fields (source, revision…); `cause`/`workaround` only when set. */
export function contentOf(a: Article): Article {
  const out: Article = {
    id: a.id,
    type: a.type,
    lang: a.lang,
    title: a.title,
    tags: [...a.tags],
    services: [...a.services],
    symptoms: [...a.symptoms],
    status: a.status,
    updated: a.updated,
    body: a.body.trim(),
  };
  if (a.cause !== undefined) out.cause = a.cause;
  if (a.workaround !== undefined) out.workaround = a.workaround;
  return out;
}

/**
 * SHA-256 (hex) of the content fields and the status, in a fixed order: equal
 * hashes mean equal articles, whatever file they were read from, whatever key
 * order or YAML style the file used. The body is trimmed (files end with a newline).
 */
export function contentHash(a: Article): string {
  const c = contentOf(a);
  const values = [c.id, c.lang, ...CONTENT_FIELDS.map((f) => c[f] ?? null)];
  return createHash('sha256').update(JSON.stringify(values)).digest('hex');
}

/** What a save does: 'content' and 'status' make a new revision; 'source' only re-links the article to its file. */
export type ChangeKind = 'create' | 'content' | 'status' | 'source' | 'none';

export type AuditAction = 'article.create' | 'article.update' | 'article.status' | 'article.source';

export interface PlannedChange {
  kind: ChangeKind;
  outcome: SaveOutcome;
  /** The stored article after the change (`existing` itself for 'none'). */
  next: StoredArticle;
  /** The audit row to write; absent for 'none'. */
  audit?: { action: AuditAction; before: Record<string, unknown> | null; after: Record<string, unknown> };
}

const ACTIONS: Record<Exclude<ChangeKind, 'none'>, AuditAction> = {
  create: 'article.create',
  content: 'article.update',
  status: 'article.status',
  source: 'article.source',
};

/**
 * The change that saving `article` with `meta` makes to `existing` (null: not stored yet).
 * - The new `sourcePath` is `meta.sourcePath`, else `article.path` (the file it was read from,
 *   relative to the knowledge folder), else the stored one: an article edited in chat keeps the
 *   file it will be exported to.
 * - Same content hash: nothing, except that a save from a file (sync, export) re-links a
 *   curated or moved article to that file ('source': an audit row, no revision, since the text
 *   did not change). A same-content save from chat does not make a file article "curated".
 * - Otherwise a new revision; 'status' when only the status differs.
 */
export function planChange(existing: StoredArticle | null, article: Article, meta: ChangeMeta): PlannedChange {
  const content = contentOf(article);
  const hash = contentHash(content);
  const sourcePath = meta.sourcePath ?? article.path ?? existing?.sourcePath;
  const next: StoredArticle = { ...content, source: meta.source, revision: (existing?.revision ?? 0) + 1, contentHash: hash };
  if (sourcePath !== undefined) next.sourcePath = sourcePath;
  if (!existing) {
    const after = { revision: 1, title: next.title, status: next.status, source: next.source, sourcePath: next.sourcePath ?? null };
    return { kind: 'create', outcome: 'created', next, audit: { action: ACTIONS.create, before: null, after } };
  }
  if (existing.contentHash === hash) {
    const relink = meta.source === 'file' && (existing.source !== 'file' || existing.sourcePath !== sourcePath);
    if (!relink) return { kind: 'none', outcome: 'unchanged', next: existing };
    const relinked: StoredArticle = { ...existing, source: 'file' };
    if (sourcePath !== undefined) relinked.sourcePath = sourcePath;
    const { before, after } = provenanceDiff(existing, relinked);
    return { kind: 'source', outcome: 'unchanged', next: relinked, audit: { action: ACTIONS.source, before, after } };
  }
  const { before, after } = contentDiff(existing, next);
  const kind: ChangeKind = Object.keys(before).every((k) => k === 'status' || k === 'source' || k === 'sourcePath') ? 'status' : 'content';
  return { kind, outcome: 'updated', next, audit: { action: ACTIONS[kind], before: { ...before, revision: existing.revision }, after: { ...after, revision: next.revision } } };
}

/**
 * A status change (publish, retire) as a save. A person's change (authorId set) to an article
 * whose text comes from a file makes it curated (source 'chat': the port's setStatus carries no
 * source, and chat is where admins curate), so that the next sync does not undo it before an
 * export writes it to the file. A change without an author (sync, CLI) keeps the source.
 */
export function planStatusChange(existing: StoredArticle, status: Article['status'], meta: Omit<ChangeMeta, 'source'>): PlannedChange {
  const source: ArticleSource = meta.authorId !== undefined && existing.source === 'file' ? 'chat' : existing.source;
  return planChange(existing, { ...contentOf(existing), status }, { ...meta, source });
}

/** The fields that differ, before and after (content fields, then provenance). */
function contentDiff(a: StoredArticle, b: StoredArticle): { before: Record<string, unknown>; after: Record<string, unknown> } {
  const before: Record<string, unknown> = {};
  const after: Record<string, unknown> = {};
  for (const f of CONTENT_FIELDS) {
    if (JSON.stringify(a[f] ?? null) === JSON.stringify(b[f] ?? null)) continue;
    before[f] = a[f] ?? null;
    after[f] = b[f] ?? null;
  }
  const provenance = provenanceDiff(a, b);
  return { before: { ...before, ...provenance.before }, after: { ...after, ...provenance.after } };
}

function provenanceDiff(a: StoredArticle, b: StoredArticle): { before: Record<string, unknown>; after: Record<string, unknown> } {
  const before: Record<string, unknown> = {};
  const after: Record<string, unknown> = {};
  if (a.source !== b.source) [before.source, after.source] = [a.source, b.source];
  if (a.sourcePath !== b.sourcePath) [before.sourcePath, after.sourcePath] = [a.sourcePath ?? null, b.sourcePath ?? null];
  return { before, after };
}

/** "FAQ-0031" from ("FAQ", 31). */
export function formatId(prefix: string, n: number): string {
  if (n > 9999) throw new GuichetError('knowledge.ids-exhausted', `knowledge: no free ${prefix} id left (ids have 4 digits)`);
  return `${prefix}-${String(n).padStart(4, '0')}`;
}

export function unknownArticle(id: string, lang: Lang): GuichetError {
  return new GuichetError('knowledge.unknown-article', `knowledge: no article "${id}" (${lang})`);
}

/** One batch names each id+language once: which of two versions wins would be an accident of order. */
export function rejectRepeats(articles: readonly Article[]): void {
  const seen = new Set<string>();
  for (const a of articles) {
    const key = `${a.id}/${a.lang}`;
    if (seen.has(key)) throw new GuichetError('knowledge.duplicate-article', `knowledge: article "${a.id}" (${a.lang}) is twice in one save`);
    seen.add(key);
  }
}
