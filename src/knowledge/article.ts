/**
 * A knowledge article (FAQ, known error, procedure): its type, the zod schema
 * of its front matter (the contract written in knowledge/README.md), parsing
 * from a Markdown file and serializing back to one.
 *
 * Front matter is parsed with `yaml` (YAML 1.2 core schema), so `updated:
 * 2026-10-15` stays the string "2026-10-15" and `no` stays a string; errors
 * carry the field path. The service ids are passed in (from
 * config/services.yml), never read here.
 */
import { Document, isSeq, parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type { Lang } from '../core/lang.ts';
import { checkBody } from './article-body.ts';
import { issue, type KnowledgeIssue } from './issues.ts';

export const ARTICLE_TYPES = ['faq', 'known-error', 'procedure'] as const;
export type ArticleType = (typeof ARTICLE_TYPES)[number];
export const ARTICLE_STATUSES = ['draft', 'published', 'retired'] as const;
export type ArticleStatus = (typeof ARTICLE_STATUSES)[number];

/** The id prefix and the folder of each article type. */
export const TYPE_LAYOUT: Record<ArticleType, { prefix: string; folder: string }> = {
  faq: { prefix: 'FAQ', folder: 'faq' },
  'known-error': { prefix: 'KE', folder: 'known-errors' },
  procedure: { prefix: 'PROC', folder: 'procedures' },
};

export interface Article {
  /** "FAQ-0001", "KE-0007", "PROC-0012": shared by the translations of one article. */
  id: string;
  type: ArticleType;
  lang: Lang;
  title: string;
  tags: string[];
  services: string[];
  /** What the user sees or says, in the article's language. */
  symptoms: string[];
  /** Known errors only: the root cause. */
  cause?: string;
  /** Known errors only: the short workaround. */
  workaround?: string;
  status: ArticleStatus;
  /** ISO date, YYYY-MM-DD. */
  updated: string;
  /** Markdown, trimmed. */
  body: string;
  /** Where the article was read from, when it came from a file. */
  path?: string;
}

const ID = /^(FAQ|KE|PROC)-\d{4}$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const text = (what: string, max?: number) => {
  const base = z.string({ invalid_type_error: `expected ${what} as text` }).trim().min(1, `${what} is empty`);
  return max ? base.max(max, `${what} is longer than ${max} characters`) : base;
};
const isRealDate = (s: string): boolean => {
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(s);
};

/** The front matter schema; `knownServiceIds` are the ids of config/services.yml. */
export function frontMatterSchema(knownServiceIds: readonly string[]) {
  const known = new Set(knownServiceIds);
  return z
    .object({
      id: z.string().regex(ID, 'expected FAQ-0001, KE-0001 or PROC-0001 (prefix, dash, 4 digits)'),
      type: z.enum(ARTICLE_TYPES, { errorMap: () => ({ message: `expected one of ${ARTICLE_TYPES.join(', ')}` }) }),
      lang: z.enum(['en', 'fr'], { errorMap: () => ({ message: 'expected en or fr' }) }),
      title: text('title', 100),
      tags: z
        .array(text('tag').refine((t) => t === t.toLowerCase(), { message: 'tags are lowercase' }))
        .min(3, 'expected 3 to 8 tags')
        .max(8, 'expected 3 to 8 tags')
        .refine((a) => new Set(a).size === a.length, { message: 'a tag is repeated' }),
      services: z
        .array(z.string())
        .min(1, 'expected 1 or 2 service ids')
        .max(2, 'expected 1 or 2 service ids')
        .superRefine((ids, ctx) => {
          for (const id of ids.filter((s) => !known.has(s))) {
            ctx.addIssue({ code: 'custom', message: `unknown service "${id}" (known: ${[...known].join(', ')})` });
          }
          if (new Set(ids).size !== ids.length) ctx.addIssue({ code: 'custom', message: 'a service is repeated' });
        }),
      symptoms: z.array(text('symptom')).min(2, 'expected 2 to 5 symptoms').max(5, 'expected 2 to 5 symptoms'),
      cause: text('cause').optional(),
      workaround: text('workaround').optional(),
      status: z.enum(ARTICLE_STATUSES, { errorMap: () => ({ message: `expected one of ${ARTICLE_STATUSES.join(', ')}` }) }),
      updated: z
        .string({ invalid_type_error: 'expected an ISO date YYYY-MM-DD' })
        .regex(ISO_DATE, 'expected an ISO date YYYY-MM-DD')
        .refine(isRealDate, { message: 'not a calendar date' }),
    })
    .strict()
    .superRefine((fm, ctx) => {
      const layout = TYPE_LAYOUT[fm.type];
      if (!fm.id.startsWith(`${layout.prefix}-`)) {
        ctx.addIssue({ code: 'custom', path: ['id'], message: `a ${fm.type} id starts with ${layout.prefix}- (got "${fm.id}")` });
      }
      for (const field of ['cause', 'workaround'] as const) {
        if (fm.type === 'known-error' && fm[field] === undefined) {
          ctx.addIssue({ code: 'custom', path: [field], message: 'required for a known-error' });
        } else if (fm.type !== 'known-error' && fm[field] !== undefined) {
          ctx.addIssue({ code: 'custom', path: [field], message: `only allowed for a known-error (this is a ${fm.type})` });
        }
      }
    });
}

export type FrontMatter = z.infer<ReturnType<typeof frontMatterSchema>>;

export interface ParseOutcome {
  /** Present when there is no error (warnings allowed). */
  article?: Article;
  issues: KnowledgeIssue[];
}

const FENCE = /^---[ \t]*$/m;

/** Splits "---\nyaml\n---\nbody" into its two parts, or null when there is no front matter. */
function splitFrontMatter(raw: string): { yaml: string; body: string } | null {
  const textLf = raw.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  if (!textLf.startsWith('---\n')) return null;
  const rest = textLf.slice(4);
  const close = FENCE.exec(rest);
  if (!close) return null;
  return { yaml: rest.slice(0, close.index), body: rest.slice(close.index + close[0].length) };
}

/** Parses an article's Markdown without any rule on where the file lives. */
export function parseArticle(raw: string, knownServiceIds: readonly string[], file = '(article)'): ParseOutcome {
  const parts = splitFrontMatter(raw);
  if (!parts) return { issues: [issue('error', file, null, 'no front matter: the file must start with a "---" line, the YAML, then a "---" line')] };
  let data: unknown;
  try {
    data = parseYaml(parts.yaml);
  } catch (cause) {
    return { issues: [issue('error', file, null, `front matter is not valid YAML: ${(cause as Error).message.split('\n')[0]}`)] };
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    return { issues: [issue('error', file, null, 'front matter must be a YAML mapping (key: value lines)')] };
  }
  const parsed = frontMatterSchema(knownServiceIds).safeParse(data);
  const body = parts.body.trim();
  const issues = [...(parsed.success ? [] : parsed.error.issues.map((i) => zodIssue(file, i))), ...checkBody(body, file)];
  if (!parsed.success || issues.some((i) => i.severity === 'error')) return { issues };
  return { article: toArticle(parsed.data, body), issues };
}

/** Parses a knowledge file; its path must follow `<lang>/<type-folder>/<ID>-<slug>.md`. */
export function parseArticleFile(path: string, raw: string, knownServiceIds: readonly string[]): ParseOutcome {
  const outcome = parseArticle(raw, knownServiceIds, path);
  if (!outcome.article) return outcome;
  const layoutIssues = checkLayout(path, outcome.article);
  if (layoutIssues.length > 0) return { issues: [...outcome.issues, ...layoutIssues] };
  return { article: { ...outcome.article, path }, issues: outcome.issues };
}

function checkLayout(path: string, a: Article): KnowledgeIssue[] {
  const segments = path.replace(/\\/g, '/').split('/');
  const [lang, folder, name] = segments.slice(-3);
  const folderWanted = TYPE_LAYOUT[a.type].folder;
  const out: KnowledgeIssue[] = [];
  if (lang !== a.lang) out.push(issue('error', path, 'lang', `is "${a.lang}" but the file is in folder "${lang ?? ''}" (expected ${a.lang}/${folderWanted}/)`));
  if (folder !== folderWanted) out.push(issue('error', path, 'type', `is "${a.type}" but the file is in folder "${folder ?? ''}" (expected ${a.lang}/${folderWanted}/)`));
  const slug = name?.startsWith(`${a.id}-`) ? name.slice(a.id.length + 1) : null;
  if (slug === null) out.push(issue('error', path, 'id', `is "${a.id}" but the file name does not start with "${a.id}-"`));
  else if (!/^[a-z0-9]+(?:-[a-z0-9]+)*\.md$/.test(slug)) out.push(issue('error', path, null, `file name slug "${slug}" must be lowercase kebab-case ASCII ending in .md`));
  return out;
}

function zodIssue(file: string, i: z.ZodIssue): KnowledgeIssue {
  if (i.code === 'unrecognized_keys') {
    return issue('error', file, i.keys.join(', '), `unknown field (allowed: ${Object.keys(frontMatterSchema([]).innerType().shape).join(', ')})`);
  }
  const field = i.path.length > 0 ? i.path.join('.') : null;
  const missing = i.code === 'invalid_type' && i.received === 'undefined';
  return issue('error', file, field, missing ? 'missing' : i.message);
}

function toArticle(fm: FrontMatter, body: string): Article {
  const article: Article = {
    id: fm.id,
    type: fm.type,
    lang: fm.lang,
    title: fm.title,
    tags: fm.tags,
    services: fm.services,
    symptoms: fm.symptoms,
    status: fm.status,
    updated: fm.updated,
    body,
  };
  if (fm.cause !== undefined) article.cause = fm.cause;
  if (fm.workaround !== undefined) article.workaround = fm.workaround;
  return article;
}

/** The Markdown file of an article (front matter in README order, then the body); `path` is not written. */
export function serializeArticle(a: Article): string {
  const fm: Record<string, unknown> = {
    id: a.id,
    type: a.type,
    lang: a.lang,
    title: a.title,
    tags: a.tags,
    services: a.services,
    symptoms: a.symptoms,
    ...(a.cause !== undefined ? { cause: a.cause } : {}),
    ...(a.workaround !== undefined ? { workaround: a.workaround } : {}),
    status: a.status,
    updated: a.updated,
  };
  const doc = new Document(fm);
  for (const key of ['tags', 'services']) {
    const node = doc.get(key, true);
    if (isSeq(node)) node.flow = true;
  }
  const yaml = doc.toString({ lineWidth: 0, flowCollectionPadding: false });
  return `---\n${yaml}---\n${a.body.trim()}\n`;
}
