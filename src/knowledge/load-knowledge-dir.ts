/**
 * Loads every article of a knowledge folder (`<dir>/<lang>/<type-folder>/*.md`)
 * and checks what no single file can: one article per id and language, and
 * each id translated into every language (a missing translation is a warning:
 * users of the other language get the fallback language).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, isAbsolute } from 'node:path';
import { LANGS } from '../core/lang.ts';
import { parseArticleFile, type Article } from './article.ts';
import { issue, type KnowledgeIssue } from './issues.ts';

export interface KnowledgeLoad {
  /** Articles without errors (possibly with warnings), sorted by id then language. */
  articles: Article[];
  errors: KnowledgeIssue[];
  warnings: KnowledgeIssue[];
}

/** Markdown files under `dir`, except README.md files; sorted for a stable order. */
function markdownFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...markdownFiles(full));
    else if (name.endsWith('.md') && name.toLowerCase() !== 'readme.md') out.push(full);
  }
  return out;
}

/** How a file is named in messages: relative to the working directory when it is under it. */
function displayPath(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel.replace(/\\/g, '/') : file;
}

export function loadKnowledgeDir(dir: string, knownServiceIds: readonly string[]): KnowledgeLoad {
  const articles: Article[] = [];
  const found: KnowledgeIssue[] = [];
  for (const full of markdownFiles(dir)) {
    const file = displayPath(full);
    const { article, issues } = parseArticleFile(file, readFileSync(full, 'utf8'), knownServiceIds);
    found.push(...issues);
    if (article) articles.push(article);
  }
  const unique = dropDuplicates(articles, found);
  found.push(...missingTranslations(unique));
  unique.sort((a, b) => a.id.localeCompare(b.id) || a.lang.localeCompare(b.lang));
  return {
    articles: unique,
    errors: found.filter((i) => i.severity === 'error'),
    warnings: found.filter((i) => i.severity === 'warning'),
  };
}

/** Keeps the first article of each id+language; a second one is an error naming both files. */
function dropDuplicates(articles: Article[], found: KnowledgeIssue[]): Article[] {
  const seen = new Map<string, Article>();
  for (const a of articles) {
    const key = `${a.id}:${a.lang}`;
    const first = seen.get(key);
    if (!first) seen.set(key, a);
    else found.push(issue('error', a.path ?? '', 'id', `duplicate article id "${a.id}" (${a.lang}) in ${first.path} and ${a.path}`));
  }
  const firsts = new Set(seen.values());
  // An id+language defined twice is not loaded at all: which one is right is the author's call.
  const duplicated = new Set(articles.filter((a) => !firsts.has(a)).map((a) => `${a.id}:${a.lang}`));
  return [...seen.values()].filter((a) => !duplicated.has(`${a.id}:${a.lang}`));
}

function missingTranslations(articles: Article[]): KnowledgeIssue[] {
  const byId = new Map<string, Article[]>();
  for (const a of articles) byId.set(a.id, [...(byId.get(a.id) ?? []), a]);
  const out: KnowledgeIssue[] = [];
  for (const [id, versions] of byId) {
    const first = versions[0];
    if (!first) continue;
    for (const lang of LANGS.filter((l) => !versions.some((v) => v.lang === l))) {
      out.push(issue('warning', first.path ?? '', 'id', `"${id}" has no ${lang} translation (${lang} users get the ${first.lang} article)`));
    }
    const services = new Set(versions.map((v) => [...v.services].sort().join(',')));
    if (services.size > 1) out.push(issue('warning', first.path ?? '', 'services', `the translations of "${id}" name different services`));
  }
  return out;
}
