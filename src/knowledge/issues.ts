/**
 * Problems found in knowledge content. Expected outcomes of validation are
 * values (a list of issues), not exceptions: a linter wants them all at once,
 * and the server refuses to start on any `error`.
 */

export interface KnowledgeIssue {
  /** 'error': the article is not loaded; 'warning': it is loaded, but should be fixed. */
  severity: 'error' | 'warning';
  /** The file, as given to the parser (relative to the working directory when loaded from a folder). */
  file: string;
  /** The front matter field at fault ("services", "tags.2"), "body", or null for the whole file. */
  field: string | null;
  problem: string;
  /** One line for humans: `knowledge: <file>: field "<field>": <problem>`. */
  message: string;
}

export function issue(severity: KnowledgeIssue['severity'], file: string, field: string | null, problem: string): KnowledgeIssue {
  const where = field === null ? '' : ` field "${field}":`;
  return { severity, file, field, problem, message: `knowledge: ${file}:${where} ${problem}` };
}
