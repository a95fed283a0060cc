/**
 * Intent data files: JSONL, one utterance a line,
 * `{"split": "train"|"val"|"test", "text", "intent", "oos": bool}` (format of
 * the shared benchmark data; extra fields are ignored, and `lang` is kept
 * when it names a language Guichet speaks). Every line is validated, and an
 * error names the file, the line number and what is wrong.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { GuichetError } from '../../core/errors.ts';
import { toLang, type Lang } from '../../core/lang.ts';

export interface IntentRecord {
  split: 'train' | 'val' | 'test';
  text: string;
  /** The intent's name; for an out-of-scope utterance, whatever the data set calls them ("None", "oos"). */
  intent: string;
  oos: boolean;
  lang?: Lang;
  /** 1-based line in the file. */
  line: number;
}

const recordSchema = z.object({
  split: z.enum(['train', 'val', 'test']),
  text: z.string().refine((t) => t.trim() !== '', 'empty text'),
  intent: z.string(),
  oos: z.boolean(),
  lang: z.string().optional(),
});

/** Parses JSONL `content`; `source` names it in errors (a path). Blank lines are skipped. */
export function parseIntentJsonl(content: string, source: string): IntentRecord[] {
  const records: IntentRecord[] = [];
  content.split('\n').forEach((raw, i) => {
    const line = i + 1;
    if (raw.trim() === '') return;
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch (e) {
      throw new GuichetError('intents.data-invalid', `intents: ${source}:${line}: not JSON (${(e as Error).message})`, { cause: e });
    }
    const parsed = recordSchema.safeParse(json);
    if (!parsed.success) {
      const what = parsed.error.issues.map((issue) => describeIssue(issue, json)).join('; ');
      throw new GuichetError('intents.data-invalid', `intents: ${source}:${line}: ${what}`);
    }
    const { split, text, intent, oos } = parsed.data;
    if (!oos && intent.trim() === '') throw new GuichetError('intents.data-invalid', `intents: ${source}:${line}: in-scope utterance with an empty "intent"`);
    const lang = toLang(parsed.data.lang);
    records.push({ split, text, intent, oos, line, ...(lang ? { lang } : {}) });
  });
  return records;
}

/** Reads and parses an intent data file; throws `intents.data-not-found` when it is not there. */
export function readIntentFile(path: string): IntentRecord[] {
  let content: string;
  try {
    content = readFileSync(path, 'utf8');
  } catch (e) {
    throw new GuichetError('intents.data-not-found', `intents: cannot read data file ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { cause: e });
  }
  return parseIntentJsonl(content, path);
}

function describeIssue(issue: z.ZodIssue, json: unknown): string {
  const field = issue.path.join('.');
  if (issue.path.length === 0) return `expected a JSON object, got ${JSON.stringify(json)?.slice(0, 40)}`;
  const present = typeof json === 'object' && json !== null && field in json;
  return present ? `field "${field}": ${issue.message}` : `missing field "${field}"`;
}
