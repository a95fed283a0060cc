/**
 * Loads Prisma's WebAssembly schema engine and runs one command with it.
 *
 * Why not the prisma CLI: prisma 7 downloads a native engine before every command, and that host is
 * unreachable here (see ../shared/notes/prisma-offline.md). The wasm engine reads and writes the
 * same migration files and `_prisma_migrations` table, so the real CLI can take over elsewhere.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import * as bindings from '@prisma/schema-engine-wasm/schema_engine_bg';
import type { SchemaEngine } from '@prisma/schema-engine-wasm/schema_engine_bg';
import {
  bindMigrationAwareSqlAdapterFactory,
  type SqlMigrationAwareDriverAdapterFactory,
} from '@prisma/driver-adapter-utils';
import { GuichetError } from '../../core/errors.ts';

export type { SchemaEngine };

let loading: Promise<void> | undefined;

/**
 * The engine races PostgreSQL work against 10 s timers that it never clears (the glue has no
 * clearTimeout), which kept a finished migrate process alive for 10 s. The work itself holds the
 * event loop through its sockets, so the timers are unref'd: they no longer delay the exit.
 */
function withUnrefTimers(): WebAssembly.ModuleImports {
  // The glue module's exports are all functions (the wasm imports) or classes: valid import values.
  const imports = { ...bindings } as unknown as WebAssembly.ModuleImports;
  for (const [name, fn] of Object.entries(bindings)) {
    if (!name.startsWith('__wbg_setTimeout_') || typeof fn !== 'function') continue;
    imports[name] = (...args: unknown[]) => {
      const timer = (fn as (...a: unknown[]) => unknown)(...args);
      (timer as { unref?: () => void } | undefined)?.unref?.();
      return timer;
    };
  }
  return imports;
}

/**
 * The package entry imports the .wasm "bundler style", which Node cannot load: instantiate the
 * module ourselves and hand its exports to the JS glue. Once per process (the glue holds one
 * module-level instance).
 */
function loadWasm(): Promise<void> {
  loading ??= (async () => {
    const require = createRequire(import.meta.url);
    const gluePath = require.resolve('@prisma/schema-engine-wasm/schema_engine_bg');
    const bytes = await readFile(gluePath.replace(/\.js$/, '.wasm'));
    const { instance } = await WebAssembly.instantiate(bytes, { './schema_engine_bg.js': withUnrefTimers() });
    bindings.__wbg_set_wasm(instance.exports);
    (instance.exports as { __wbindgen_start: () => void }).__wbindgen_start();
  })().catch((cause: unknown) => {
    loading = undefined; // let a later call retry (e.g. after npm install)
    throw new GuichetError(
      'migrate.engine-unavailable',
      `migrate: cannot load @prisma/schema-engine-wasm (pinned 8.1.0-2.59be4fda…): ${(cause as Error).message}`,
      { cause },
    );
  });
  return loading;
}

export interface EngineInput {
  /** Path of the schema file (used in engine messages) and its text. */
  schemaPath: string;
  schemaText: string;
  /** Driver adapter factory for the target database (and its shadow database). */
  factory: SqlMigrationAwareDriverAdapterFactory;
}

/** Starts an engine on `factory`, runs `command`, frees the engine (not the connections). */
export async function withEngine<T>(input: EngineInput, command: (engine: SchemaEngine) => Promise<T>): Promise<T> {
  await loadWasm();
  const onLog = (_line: string): void => {
    // The engine logs every statement at info level; nothing here is worth printing, and a
    // failure comes back as a rejected promise with the database error in it.
  };
  const engine = await bindings.SchemaEngine.new(
    { datamodels: [[input.schemaPath, input.schemaText]] },
    onLog,
    bindMigrationAwareSqlAdapterFactory(input.factory),
  );
  try {
    return await command(engine);
  } finally {
    engine.free();
  }
}
