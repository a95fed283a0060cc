/**
 * Loads every flow of a folder (`dialogs/*.yml`) and refuses to start on any
 * problem: one `flows.invalid` error lists them all, each naming the file, the
 * node and the issue, so that an author fixes a whole file in one go.
 *
 * Within a file, the graph checks (check-flow.ts) only run once the file fits
 * the schema: they rely on its shape.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { isAbsolute, join, relative } from 'node:path';
import { parseDocument } from 'yaml';
import type { ZodIssue } from 'zod';
import { cacheKey, codeVersion, readCache, writeCache } from '../core/cache-file.ts';
import { GuichetError } from '../core/errors.ts';
import { checkFlow, describeProblem, type FlowProblem } from './check-flow.ts';
import { flowSchema, messageOf, type Flow } from './schema.ts';

export interface LoadOptions {
  /** The service ids of config/services.yml. */
  serviceIds: readonly string[];
  /**
   * A start-up cache (core/cache-file.ts, e.g. `<cache dir>/flows.bin`): the checked flows of the same
   * sources, service ids and code are read back instead of parsed and checked again (YAML, schema, graph:
   * ~0.15 s of every start, bench:memory's CPU profile). Only flows without problems are saved.
   */
  cache?: { file: string };
}

/** Bump when the saved shape changes without a code change in this folder. */
const CACHE_FORMAT = 1;

/** The flows of `dir`, sorted by id; throws `flows.invalid` listing every problem found. */
export function loadFlows(dir: string, options: LoadOptions): Flow[] {
  const files = readdirSync(dir)
    .filter((name) => /\.ya?ml$/.test(name))
    .sort()
    .map((name) => ({ file: displayPath(join(dir, name)), source: readFileSync(join(dir, name), 'utf8') }));
  const cache = options.cache ? { file: options.cache.file, key: flowsKey(files, options.serviceIds) } : undefined;
  const saved = cache ? readCache<Flow[]>(cache.file, cache.key, Array.isArray).value : undefined;
  if (saved) return saved;
  const { flows, problems } = parseFlows(files, options);
  if (problems.length > 0) {
    const list = problems.map((p) => `- ${describeProblem(p)}`).join('\n');
    throw new GuichetError('flows.invalid', `flows: ${problems.length} problem(s) in ${dir}:\n${list}`, { cause: problems });
  }
  // A failed save only costs the next start its parsing.
  if (cache) writeCache(cache.file, cache.key, flows);
  return flows;
}

/** The key of checked flows: their files (names and sources), the service ids, this folder's code, and the YAML and schema libraries. */
function flowsKey(files: readonly { file: string; source: string }[], serviceIds: readonly string[]): string {
  const require = createRequire(import.meta.url);
  const libraries = ['yaml', 'zod'].map((name) => readFileSync(require.resolve(`${name}/package.json`), 'utf8'));
  return cacheKey(CACHE_FORMAT, codeVersion(new URL('./', import.meta.url)), libraries, [...serviceIds].sort(), files);
}

/** Parses and checks flow sources; problems are values here (a linter wants them all). */
export function parseFlows(files: readonly { file: string; source: string }[], options: LoadOptions): { flows: Flow[]; problems: FlowProblem[] } {
  const serviceIds = new Set(options.serviceIds);
  const problems: FlowProblem[] = [];
  const flows: Flow[] = [];
  for (const { file, source } of files) {
    const parsed = parseFlowFile(file, source, serviceIds);
    problems.push(...parsed.problems);
    if (parsed.flow) flows.push(parsed.flow);
  }
  const byId = new Map<string, Flow>();
  for (const flow of flows) {
    const first = byId.get(flow.id);
    if (first) problems.push({ file: flow.file, node: null, problem: `duplicate flow id "${flow.id}" in ${first.file} and ${flow.file}` });
    else byId.set(flow.id, flow);
  }
  return { flows: [...byId.values()].sort((a, b) => a.id.localeCompare(b.id)), problems };
}

function parseFlowFile(file: string, source: string, serviceIds: ReadonlySet<string>): { flow?: Flow; problems: FlowProblem[] } {
  const doc = parseDocument(source);
  if (doc.errors.length > 0) {
    return { problems: doc.errors.map((e) => ({ file, node: null, problem: `YAML: ${(e.message.split('\n')[0] ?? e.message).replace(/:$/, '')}` })) };
  }
  const result = flowSchema.safeParse(doc.toJS());
  if (!result.success) return { problems: result.error.issues.map((issue) => schemaProblem(file, issue)) };
  const problems = checkFlow(result.data, file, serviceIds);
  return problems.length > 0 ? { problems } : { flow: { ...result.data, file }, problems };
}

/** A schema issue, attached to its node when its path is under `nodes.<name>`. */
function schemaProblem(file: string, issue: ZodIssue): FlowProblem {
  const path = issue.path.map(String);
  const message = messageOf(issue);
  if (path[0] === 'nodes' && path.length >= 2) {
    const rest = path.slice(2).join('.');
    return { file, node: path[1] ?? null, problem: rest ? `${rest}: ${message}` : message };
  }
  const where = path.join('.');
  return { file, node: null, problem: where ? `${where}: ${message}` : message };
}

/** How a file is named in messages: relative to the working directory when it is under it. */
function displayPath(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel.replace(/\\/g, '/') : file;
}
