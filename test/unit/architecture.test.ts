/**
 * The dependency rules of docs/architecture.md, checked: dependency-cruiser runs the rules of
 * .dependency-cruiser.cjs over src/ and every violation is listed (`npm run arch` prints the same).
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cruise, type ICruiseResult, type IViolation } from 'dependency-cruiser';
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CONFIG = join(ROOT, '.dependency-cruiser.cjs');

/** One readable line per violation: the rule, then the import (or the whole circle). */
function describeViolation(v: IViolation): string {
  const path = v.cycle?.length ? [v.from, ...v.cycle.map((c) => c.name)] : [v.from, v.to];
  return `${v.rule.name}: ${path.join(' → ')}`;
}

/** The violations of the rules in the files under `baseDir`/src. */
async function violations(baseDir: string): Promise<{ lines: string[]; modules: number }> {
  const options = await extractDepcruiseOptions(CONFIG);
  const { output } = await cruise(['src'], { ...options, baseDir, validate: true });
  const result = output as ICruiseResult;
  return { lines: result.summary.violations.map(describeViolation).sort(), modules: result.modules.length };
}

describe('architecture (.dependency-cruiser.cjs over src/)', () => {
  it('src/ breaks none of the dependency rules', async () => {
    const { lines, modules } = await violations(ROOT);
    // A cruise that found nothing would pass vacuously.
    expect(modules).toBeGreaterThan(150);
    expect(lines, `dependency rules broken (docs/architecture.md, "Dependency rules"):\n${lines.join('\n')}`).toEqual([]);
  });

  // The rules themselves, on a made-up src/ with three known faults (a circle is reported once).
  it('catches a forbidden import, a circle and a channel reaching into ticketing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'guichet-arch-'));
    const files: Record<string, string> = {
      'src/core/ports.ts': "import '../persistence/database.ts';\nexport const x = 1;\n",
      'src/persistence/database.ts': 'export const db = 1;\n',
      'src/flows/a.ts': "import { b } from './b.ts';\nexport const a = () => b;\n",
      'src/flows/b.ts': "import { a } from './a.ts';\nexport const b = () => a;\n",
      'src/channels/web/inbound.ts': "import '../../ticketing/desk.ts';\n",
      'src/ticketing/desk.ts': 'export {};\n',
    };
    try {
      for (const [file, text] of Object.entries(files)) {
        mkdirSync(dirname(join(dir, file)), { recursive: true });
        writeFileSync(join(dir, file), text);
      }
      const { lines } = await violations(dir);
      expect(lines).toEqual([
        'channels-only-translate: src/channels/web/inbound.ts → src/ticketing/desk.ts',
        'core-imports-only-core-and-texts: src/core/ports.ts → src/persistence/database.ts',
        'no-circular: src/flows/a.ts → src/flows/b.ts → src/flows/a.ts',
        'persistence-only-from-the-root-and-cli: src/core/ports.ts → src/persistence/database.ts',
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
