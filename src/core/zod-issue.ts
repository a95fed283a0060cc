/**
 * Where and what: the first problem zod found, as every error message and 400 answer of Guichet
 * words it ("field \"title\": is too short"). The one place that reads `ZodError.issues`.
 */
import type { ZodError } from 'zod';

export interface FirstIssue {
  /** Dotted path of the offending field ("steps.2.text"); "" for the value itself. */
  field: string;
  message: string;
}

/** The first issue of `error`, with its field path. */
export function firstIssue(error: ZodError): FirstIssue {
  const issue = error.issues[0];
  return { field: issue?.path.join('.') ?? '', message: issue?.message ?? 'is invalid' };
}

/** `field "x.y": message` — the wording used in Guichet's errors. */
export function describeIssue(error: ZodError): string {
  const { field, message } = firstIssue(error);
  return field ? `field "${field}": ${message}` : message;
}
