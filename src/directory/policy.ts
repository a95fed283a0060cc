/**
 * What the bot may do on its own (config/directory-actions.yml), and the pure decision for one
 * request: action enabled, who may ask (groups), daily limits per person, privileged accounts never
 * touched, grantable groups and approvals, dry-run.
 */
import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { z } from 'zod';
import { GuichetError } from '../core/errors.ts';
import { describeIssue } from '../core/zod-issue.ts';
import type { DirectoryAccount } from '../core/directory.ts';

export const DIRECTORY_ACTIONS = ['status', 'unlock', 'reset-password', 'reset-mfa', 'add-to-group', 'remove-from-group'] as const;
export type DirectoryAction = (typeof DIRECTORY_ACTIONS)[number];

const names = z.array(z.string().min(1)).default([]);

const actionPolicy = z
  .object({
    enabled: z.boolean().default(false),
    /** Only members of these groups may ask; empty: everyone found in the directory. */
    allowedGroups: names,
    /** Successful requests per person per 24 hours; absent: no limit. */
    perPersonPerDay: z.number().int().positive().optional(),
    /** Ask a one-time code on the second channel first. */
    requireCode: z.boolean().default(false),
  })
  .strict();

const groupActionPolicy = actionPolicy
  .extend({
    /** The groups this action may grant or remove, by name. */
    groups: names,
    /** A reference to an approval (ticket, request number) must come with the request. */
    requireApproval: z.boolean().default(true),
  })
  .strict();

export const directoryPolicySchema = z
  .object({
    /** Decide and record, but change nothing in the directory. */
    dryRun: z.boolean().default(false),
    /** Members of these groups are never changed by the bot (as the directory's privileged accounts). */
    protectedGroups: names,
    actions: z
      .object({
        status: actionPolicy.default({}),
        unlock: actionPolicy.default({}),
        'reset-password': actionPolicy.default({}),
        'reset-mfa': actionPolicy.default({}),
        'add-to-group': groupActionPolicy.default({}),
        'remove-from-group': groupActionPolicy.default({}),
      })
      .strict()
      .default({}),
  })
  .strict();

export type DirectoryPolicy = z.infer<typeof directoryPolicySchema>;

/** Validates a parsed policy; errors name the file and the field. */
export function parseDirectoryPolicy(data: unknown, file: string): DirectoryPolicy {
  const parsed = directoryPolicySchema.safeParse(data ?? {});
  if (!parsed.success) throw new GuichetError('directory.invalid-policy', `directory: ${file}: ${describeIssue(parsed.error)}`);
  return parsed.data;
}

export async function loadDirectoryPolicy(file: string): Promise<DirectoryPolicy> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new GuichetError('directory.invalid-policy', `directory: cannot read ${file}`, { cause: error });
  }
  let data: unknown;
  try {
    data = parse(text);
  } catch (error) {
    throw new GuichetError('directory.invalid-policy', `directory: ${file} is not valid YAML: ${(error as Error).message}`, { cause: error });
  }
  return parseDirectoryPolicy(data, file);
}

export type PolicyRefusal =
  | { reason: 'action-disabled' }
  | { reason: 'not-allowed' }
  | { reason: 'privileged' }
  | { reason: 'limit-reached'; limit: number }
  | { reason: 'group-not-grantable'; group: string }
  | { reason: 'approval-missing'; group: string };

export type PolicyDecision = { allowed: true; requireCode: boolean; dryRun: boolean } | ({ allowed: false } & PolicyRefusal);

export interface PolicyQuestion {
  action: DirectoryAction;
  account: DirectoryAccount;
  /** Successful requests of this action for this account in the last 24 hours. */
  doneToday: number;
  group?: string;
  approval?: string;
}

const sameName = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
const inAny = (account: DirectoryAccount, groups: string[]) => account.groups.some((g) => groups.some((name) => sameName(g.name, name)));

/** Whether the bot may do `question.action` for this account, and how. */
export function decide(policy: DirectoryPolicy, question: PolicyQuestion): PolicyDecision {
  const rule = policy.actions[question.action];
  if (!rule.enabled) return { allowed: false, reason: 'action-disabled' };
  if (rule.allowedGroups.length > 0 && !inAny(question.account, rule.allowedGroups)) return { allowed: false, reason: 'not-allowed' };
  const changes = question.action !== 'status';
  if (changes && (question.account.privileged || inAny(question.account, policy.protectedGroups))) return { allowed: false, reason: 'privileged' };
  if (rule.perPersonPerDay !== undefined && question.doneToday >= rule.perPersonPerDay) {
    return { allowed: false, reason: 'limit-reached', limit: rule.perPersonPerDay };
  }
  if ('groups' in rule) {
    const group = question.group ?? '';
    if (!rule.groups.some((name) => sameName(name, group))) return { allowed: false, reason: 'group-not-grantable', group };
    if (question.action === 'add-to-group' && rule.requireApproval && !question.approval?.trim()) {
      return { allowed: false, reason: 'approval-missing', group };
    }
  }
  return { allowed: true, requireCode: rule.requireCode, dryRun: policy.dryRun && changes };
}
