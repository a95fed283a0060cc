/**
 * Importing an existing knowledge base from CSV (header row) or JSON Lines,
 * one article version per row. The columns are documented in
 * knowledge/README.md ("Importing an existing knowledge base").
 *
 * Each row is checked by the same code as a knowledge file: it is written as
 * front matter + body and given to parseArticle, so the rules and messages
 * are the file format's; issues name the row's line and the field. Any error
 * imports nothing; otherwise every row is saved in one transaction with
 * source 'import' (an article curated in Guichet: a sync leaves it alone
 * until `kb export` writes it to a file).
 */
import { readFileSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { parse as parseCsv, CsvError } from 'csv-parse/sync';
import { stringify } from 'yaml';
import type { Lang } from '../core/lang.ts';
import { ARTICLE_TYPES, parseArticle, TYPE_LAYOUT, type Article, type ArticleType } from './article.ts';
import { formatId } from './article-change.ts';
import type { ArticleStore, SaveOutcome } from './article-store.ts';
import { issue, type KnowledgeIssue } from './issues.ts';

export type ImportFormat = 'csv' | 'jsonl';

export interface ImportIssue extends KnowledgeIssue {
  /** Line of the file where the row starts (1 is the CSV header). */
  line: number;
}

export interface ImportReport {
  /** When there is any, nothing was imported. */
  errors: ImportIssue[];
  warnings: ImportIssue[];
  /** The rows saved, in file order (empty when there were errors). */
  imported: { id: string; lang: Lang; line: number; outcome: SaveOutcome }[];
}

export interface ImportOptions {
  /** Default: from the file extension (.csv; .jsonl, .ndjson). */
  format?: ImportFormat;
  /** The `updated` date of rows without one, YYYY-MM-DD; default today (UTC). */
  today?: string;
}

/** Columns in front matter order; `body` is the Markdown. Lists are `;`-separated in CSV, arrays in JSONL. */
export const IMPORT_COLUMNS = ['id', 'type', 'lang', 'title', 'tags', 'services', 'symptoms', 'cause', 'workaround', 'status', 'updated', 'body'] as const;
const REQUIRED_COLUMNS = ['type', 'lang', 'title', 'tags', 'services', 'symptoms', 'body'];
const LIST_COLUMNS = new Set(['tags', 'services', 'symptoms']);

/** One row as read from the file, before any check. */
export interface ImportRow {
  line: number;
  fields: Record<string, unknown>;
}

export async function importKnowledge(store: ArticleStore, file: string, serviceIds: readonly string[], options: ImportOptions = {}): Promise<ImportReport> {
  const name = basename(file);
  const format = options.format ?? formatOf(file);
  const read = readImportRows(readFileSync(file, 'utf8'), format, name);
  if (read.errors.length > 0) return { errors: read.errors, warnings: [], imported: [] };
  return importRows(store, read.rows, serviceIds, name, options);
}

/**
 * Rows from elsewhere (GLPI's knowledge base) imported like a file's: checked with the file
 * format's rules, all or nothing; `source` names them in issues and in the articles' history.
 */
export async function importRows(store: ArticleStore, rows: readonly ImportRow[], serviceIds: readonly string[], name: string, options: Omit<ImportOptions, 'format'> = {}): Promise<ImportReport> {
  const read = { rows };
  const firstFree = await firstFreeNumbers(store, read.rows);
  const checked = checkImportRows(read.rows, serviceIds, { source: name, today: options.today ?? new Date().toISOString().slice(0, 10), firstFree });
  if (checked.errors.length > 0) return { errors: checked.errors, warnings: checked.warnings, imported: [] };
  const outcomes = await store.saveAll(
    checked.articles.map((a) => a.article),
    { source: 'import', reason: `import from ${name}` },
  );
  const imported = checked.articles.map(({ article, line }, i) => ({ id: article.id, lang: article.lang, line, outcome: outcomes[i] ?? 'unchanged' }));
  return { errors: [], warnings: checked.warnings, imported };
}

function formatOf(file: string): ImportFormat {
  const ext = extname(file).toLowerCase();
  return ext === '.jsonl' || ext === '.ndjson' ? 'jsonl' : 'csv';
}

/** Splits the file into rows with their line numbers; syntax errors and unknown or missing CSV columns are issues. */
export function readImportRows(text: string, format: ImportFormat, source: string): { rows: ImportRow[]; errors: ImportIssue[] } {
  const lf = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  return format === 'csv' ? readCsv(lf, source) : readJsonl(lf, source);
}

function readCsv(text: string, source: string): { rows: ImportRow[]; errors: ImportIssue[] } {
  const header = (parseCsv(text, { to_line: 1 }) as string[][])[0]?.map((h) => h.trim().toLowerCase()) ?? [];
  const known = new Set<string>(IMPORT_COLUMNS);
  const errors = [
    ...header.filter((h) => !known.has(h)).map((h) => lineIssue('error', source, 1, h, `unknown column (allowed: ${IMPORT_COLUMNS.join(', ')})`)),
    ...REQUIRED_COLUMNS.filter((c) => !header.includes(c)).map((c) => lineIssue('error', source, 1, c, 'missing column')),
  ];
  if (errors.length > 0) return { rows: [], errors };
  try {
    const records = parseCsv(text, { columns: header, from_line: 2, info: true, raw: true, skip_empty_lines: true }) as {
      record: Record<string, string>;
      raw: string;
      info: { lines: number };
    }[];
    // info.lines is the record's last line; a quoted body spans several.
    const rows = records.map(({ record, raw, info }) => ({ line: info.lines - (raw.replace(/^\n+/, '').replace(/\n$/, '').match(/\n/g)?.length ?? 0), fields: fromCsv(record) }));
    return { rows, errors: [] };
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    const line = (error as CsvError & { lines?: number }).lines ?? 0;
    return { rows: [], errors: [lineIssue('error', source, line, null, `not valid CSV: ${error.message}`)] };
  }
}

/** CSV cells are text: lists are split on ";", cells are trimmed (not the body), empty optional cells are absent. */
function fromCsv(record: Record<string, string>): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (const [column, value] of Object.entries(record)) {
    if (LIST_COLUMNS.has(column)) fields[column] = value.split(';').map((s) => s.trim()).filter(Boolean);
    else if (value.trim() !== '' || REQUIRED_COLUMNS.includes(column)) fields[column] = column === 'body' ? value : value.trim();
  }
  return fields;
}

function readJsonl(text: string, source: string): { rows: ImportRow[]; errors: ImportIssue[] } {
  const rows: ImportRow[] = [];
  const errors: ImportIssue[] = [];
  text.split('\n').forEach((content, i) => {
    if (content.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(content);
    } catch (cause) {
      errors.push(lineIssue('error', source, i + 1, null, `not valid JSON: ${(cause as Error).message}`));
      return;
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      errors.push(lineIssue('error', source, i + 1, null, 'expected one JSON object per line'));
      return;
    }
    // null or "" means "not given", as an empty CSV cell does.
    const fields = Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null && v !== ''));
    rows.push({ line: i + 1, fields });
  });
  return { rows, errors };
}

/** The first id number free for each type: after the store's ids and the file's own. */
async function firstFreeNumbers(store: ArticleStore, rows: readonly ImportRow[]): Promise<Record<ArticleType, number>> {
  const free = {} as Record<ArticleType, number>;
  for (const type of ARTICLE_TYPES) {
    const { prefix } = TYPE_LAYOUT[type];
    const number = (id: string): number => Number(id.slice(prefix.length + 1));
    const inFile = rows.map((r) => r.fields.id).filter((id): id is string => typeof id === 'string' && id.startsWith(`${prefix}-`));
    const usedInFile = inFile.map(number).filter(Number.isInteger);
    free[type] = Math.max(number(await store.nextId(type)), ...usedInFile.map((n) => n + 1));
  }
  return free;
}

export interface CheckContext {
  /** Names the file in issues. */
  source: string;
  today: string;
  /** Number of the next id to give, per type, to rows without one (advanced as ids are given). */
  firstFree: Record<ArticleType, number>;
}

/** Validates rows with the file format's rules (parseArticle); gives ids to rows without one; finds repeated id+lang. */
export function checkImportRows(
  rows: readonly ImportRow[],
  serviceIds: readonly string[],
  ctx: CheckContext,
): { articles: { article: Article; line: number }[]; errors: ImportIssue[]; warnings: ImportIssue[] } {
  const next = { ...ctx.firstFree };
  const articles: { article: Article; line: number }[] = [];
  const issues: ImportIssue[] = [];
  const seen = new Map<string, number>();
  for (const { line, fields } of rows) {
    const row: Record<string, unknown> = { status: 'draft', updated: ctx.today, ...fields };
    const { body, ...frontMatter } = row;
    const type = ARTICLE_TYPES.find((t) => t === frontMatter.type);
    if (frontMatter.id === undefined && type) frontMatter.id = formatId(TYPE_LAYOUT[type].prefix, next[type]++);
    const label = `${ctx.source}:${line}`;
    const markdown = `---\n${stringify(inReadmeOrder(frontMatter), { lineWidth: 0 })}---\n${typeof body === 'string' ? body : ''}\n`;
    const parsed = parseArticle(markdown, serviceIds, label);
    const rowIssues = parsed.issues
      // Without a valid type no id could be given: the type is the problem, not the id.
      .filter((i) => !(fields.id === undefined && i.field === 'id' && i.problem === 'missing'))
      .map((i) => ({ ...i, line }));
    if (body !== undefined && typeof body !== 'string') rowIssues.push(lineIssue('error', ctx.source, line, 'body', 'expected Markdown text'));
    issues.push(...rowIssues);
    if (!parsed.article || rowIssues.some((i) => i.severity === 'error')) continue;
    const key = `${parsed.article.id}/${parsed.article.lang}`;
    const first = seen.get(key);
    if (first !== undefined) {
      issues.push(lineIssue('error', ctx.source, line, 'id', `"${parsed.article.id}" (${parsed.article.lang}) is already on line ${first}`));
      continue;
    }
    seen.set(key, line);
    articles.push({ article: parsed.article, line });
  }
  return { articles, errors: issues.filter((i) => i.severity === 'error'), warnings: issues.filter((i) => i.severity === 'warning') };
}

/** Known columns first, in the file format's order, then any others (which the schema reports as unknown). */
function inReadmeOrder(fields: Record<string, unknown>): Record<string, unknown> {
  const ordered: Record<string, unknown> = {};
  for (const c of IMPORT_COLUMNS) if (c in fields) ordered[c] = fields[c];
  return { ...ordered, ...fields };
}

function lineIssue(severity: KnowledgeIssue['severity'], source: string, line: number, field: string | null, problem: string): ImportIssue {
  return { ...issue(severity, `${source}:${line}`, field, problem), line };
}

/** One line per issue, then what was imported, for the CLI. */
export function describeImport(report: ImportReport, file: string): string[] {
  const lines = [...report.errors, ...report.warnings].map((i) => i.message);
  if (report.errors.length > 0) return [...lines, `kb import: ${report.errors.length} error(s) in ${file}: nothing imported`];
  const count = (o: SaveOutcome): number => report.imported.filter((a) => a.outcome === o).length;
  return [...lines, `kb import: ${report.imported.length} row(s) from ${file}: ${count('created')} created, ${count('updated')} updated, ${count('unchanged')} unchanged`];
}
