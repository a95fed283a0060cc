/**
 * Load-time validation: every kind of problem, each from a small broken
 * fixture under test/fixtures/dialogs/<case>/, reported in one `flows.invalid`
 * error whose lines name the file, the node and the problem.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadServiceIds } from '../../../src/catalog/services.ts';
import { GuichetError } from '../../../src/core/errors.ts';
import { loadFlows, parseFlows } from '../../../src/flows/load.ts';
import { SERVICE_IDS, fixtureFlows } from './flow-driver.ts';

const DIR = 'test/fixtures/dialogs';

/** The problem lines of the error thrown when loading a fixture folder. */
function problemsOf(name: string): string[] {
  try {
    fixtureFlows(name);
  } catch (e) {
    expect(e).toBeInstanceOf(GuichetError);
    const error = e as GuichetError;
    expect(error.code).toBe('flows.invalid');
    const [header, ...lines] = error.message.split('\n');
    expect(header).toBe(`flows: ${lines.length} problem(s) in ${DIR}/${name}:`);
    return lines.map((l) => l.replace(/^- /, ''));
  }
  throw new Error(`test: ${name} loaded without error`);
}

describe('loadFlows: validation', () => {
  it('reports schema errors with their path, under their node', () => {
    const file = `${DIR}/schema/bad-schema.yml`;
    expect(problemsOf('schema')).toEqual([
      `${file}: version: Expected number, received string`,
      `${file}: ticket-defaults.type: Invalid enum value. Expected 'incident' | 'request', received 'problem'`,
      `${file}: slots.ok.type: expected yes-no, choice, text, asset-tag, email, number or error-code`,
      `${file}: node "ask-ok": question: required`,
      `${file}: node "greet": kind: expected one of say, ask, search, check, branch, ticket, handoff, end (got "shout")`,
    ]);
  });

  it('reports a target that names no node', () => {
    expect(problemsOf('unknown-target')).toEqual([`${DIR}/unknown-target/unknown-target.yml: node "ask-ok": on.no: unknown target node "nowhere"`]);
  });

  it('reports a node no path from start reaches', () => {
    expect(problemsOf('unreachable')).toEqual([`${DIR}/unreachable/unreachable.yml: node "orphan": unreachable from start "ask-ok"`]);
  });

  it('reports each missing translation: flow title, option label, node texts', () => {
    const file = `${DIR}/missing-translation/missing-translation.yml`;
    expect(problemsOf('missing-translation')).toEqual([
      `${file}: title.en: missing en translation`,
      `${file}: slots.where.options.office.en: missing en translation`,
      `${file}: node "ask-where": question.en: missing en translation`,
      `${file}: node "advice": text.fr: missing fr translation`,
    ]);
  });

  it('reports a slot read on some path where it is not set yet, with that path (and not a slot every path sets)', () => {
    const file = `${DIR}/slot-before-set/slot-before-set.yml`;
    expect(problemsOf('slot-before-set')).toEqual([
      // An ask that shows its own slot in its question reads it before the answer.
      `${file}: node "ask-name-b": question: slot "name" may be used before it is set (path: ask-ok → ask-code → ask-name-b)`,
      `${file}: node "route": cases[0].if: slot "code" may be used before it is set (path: ask-ok → ask-name-a → route)`,
      `${file}: node "ticket": description: slot "code" may be used before it is set (path: ask-ok → ask-name-a → route → ticket)`,
    ]);
    // `name` in the ticket title is set on both paths (ask-name-a, ask-name-b), `{set: true}` may test an unset slot: neither is reported.
  });

  it('reports an unknown service, for the flow and for a search', () => {
    const file = `${DIR}/unknown-service/unknown-service.yml`;
    const [flowLevel, searchLevel, ...rest] = problemsOf('unknown-service');
    expect(flowLevel).toMatch(new RegExp(`^${file}: unknown service "teleportation" \\(known: identity, email, `));
    expect(searchLevel).toBe(`${file}: node "look": unknown service "warp-drive"`);
    expect(rest).toEqual([]);
  });

  it('reports a duplicate flow id naming both files', () => {
    expect(problemsOf('duplicate-id')).toEqual([
      `${DIR}/duplicate-id/b.yml: duplicate flow id "twin" in ${DIR}/duplicate-id/a.yml and ${DIR}/duplicate-id/b.yml`,
    ]);
  });

  it('reports fewer than 10 examples in a language', () => {
    expect(problemsOf('few-examples')).toEqual([`${DIR}/few-examples/few-examples.yml: examples.fr: 3 examples, at least 10 needed`]);
  });

  it('reports YAML syntax errors with the line', () => {
    const [problem, ...rest] = problemsOf('yaml-syntax');
    expect(problem).toMatch(new RegExp(`^${DIR}/yaml-syntax/broken.yml: YAML: .* at line 4, column 1$`));
    expect(rest).toEqual([]);
  });

  it('reports routes and branch values that are not answers of their slot, unknown slots and wrong slot types', () => {
    const file = `${DIR}/slots/slots.yml`;
    expect(problemsOf('slots')).toEqual([
      `${file}: node "ask-where": on.moon: "moon" is not an answer of this slot (answers: home, office)`,
      `${file}: node "ask-where": on: no route for office and no default`,
      `${file}: node "ask-note": on: a text slot has no fixed answers to route on (use next and a branch)`,
      `${file}: node "route": cases[0].if.where: "garden" is not an answer of this slot (answers: home, office)`,
      `${file}: node "device": slot: "laptop" is a text slot, user-assets needs an asset-tag slot`,
      `${file}: node "done": text: unknown slot "nickname"`,
    ]);
  });

  it('reports a loop that would run without ever waiting for the user', () => {
    expect(problemsOf('loop')).toEqual([`${DIR}/loop/loop.yml: node "spin-a": loop without any user message: spin-a → spin-b → spin-a`]);
  });

  it('collects the problems of every file before failing (values, for a linter)', () => {
    const bad = (id: string) => `id: ${id}\nversion: 1\n`;
    const { flows, problems } = parseFlows(
      [
        { file: 'one.yml', source: bad('one') },
        { file: 'two.yml', source: bad('two') },
      ],
      { serviceIds: SERVICE_IDS },
    );
    expect(flows).toEqual([]);
    expect(new Set(problems.map((p) => p.file))).toEqual(new Set(['one.yml', 'two.yml']));
    expect(problems.filter((p) => p.file === 'one.yml').map((p) => p.problem)).toEqual([
      'title: required',
      'service: required',
      'ticket-defaults: required',
      'examples: required',
      'start: required',
      'nodes: required',
    ]);
  });

  it('loads the engine fixture and keeps where each flow came from', () => {
    const [demo] = fixtureFlows('demo');
    expect(demo?.id).toBe('demo');
    expect(demo?.file).toBe(`${DIR}/demo/demo.yml`);
  });
});

describe('loadFlows: start-up cache', () => {
  const copyDialogs = (): string => {
    const dir = mkdtempSync(join(tmpdir(), 'guichet-flows-cache-'));
    cpSync('dialogs', join(dir, 'dialogs'), { recursive: true });
    return dir;
  };
  const serviceIds = loadServiceIds('config');

  it('reads back the checked flows of unchanged sources without saving again, and parses again when a source changes', () => {
    const dir = copyDialogs();
    try {
      const cache = { file: join(dir, 'cache', 'flows.bin') };
      const parsed = loadFlows(join(dir, 'dialogs'), { serviceIds });
      const first = loadFlows(join(dir, 'dialogs'), { serviceIds, cache });
      expect(first).toEqual(parsed);
      const past = new Date('2020-01-01T00:00:00Z');
      utimesSync(cache.file, past, past);
      const again = loadFlows(join(dir, 'dialogs'), { serviceIds, cache });
      expect(again).toEqual(parsed);
      // A hit reads the file and writes nothing.
      expect(statSync(cache.file).mtimeMs).toBe(past.getTime());

      const file = join(dir, 'dialogs', 'vpn.yml');
      const source = readFileSync(file, 'utf8');
      const title = /^title: \{ fr: "([^"]+)"/m.exec(source);
      expect(title, 'vpn.yml has a French title').not.toBeNull();
      writeFileSync(file, source.replace(title![0], title![0].replace(title![1]!, 'VPN (modifié)')));
      const changed = loadFlows(join(dir, 'dialogs'), { serviceIds, cache });
      expect(changed.find((f) => f.id === first.find((g) => g.file.endsWith('vpn.yml'))!.id)?.title.fr).toBe('VPN (modifié)');
      expect(statSync(cache.file).mtimeMs).toBeGreaterThan(past.getTime());
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('never serves flows that have problems: a broken source is refused even when a cache of the good one exists', () => {
    const dir = copyDialogs();
    try {
      const cache = { file: join(dir, 'cache', 'flows.bin') };
      loadFlows(join(dir, 'dialogs'), { serviceIds, cache });
      writeFileSync(join(dir, 'dialogs', 'vpn.yml'), 'id: vpn\nversion: "one"\n');
      expect(() => loadFlows(join(dir, 'dialogs'), { serviceIds, cache })).toThrow(/flows: \d+ problem\(s\)/);
      // Other service ids are other checks (a flow's service must exist): not the same cache entry.
      cpSync('dialogs/vpn.yml', join(dir, 'dialogs', 'vpn.yml'));
      expect(() => loadFlows(join(dir, 'dialogs'), { serviceIds: ['nothing'], cache })).toThrow(/flows: \d+ problem\(s\)/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
