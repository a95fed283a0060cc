#!/usr/bin/env node
// Generates the Prisma clients for both providers (prisma/sqlite, prisma/postgres) without network.
// Run by `postinstall` and `npm run prisma:generate`; prints one line per client, exits 1 on failure.
//
// Why the environment below (see ../shared/notes/prisma-offline.md):
// - prisma 7 downloads its native schema engine before *any* command, and that host is unreachable
//   here. `generate` never runs the engine, so pointing PRISMA_SCHEMA_ENGINE_BINARY at any existing
//   executable (this Node binary) skips the download.
// - CHECKPOINT_DISABLE=1 avoids a ~60 s wait on the unreachable telemetry endpoint.
// No prisma.config.ts is needed: generate takes the schema path and needs no database URL.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const providers = ['sqlite', 'postgres'];
const cli = join(root, 'node_modules', 'prisma', 'build', 'index.js');

/** Runs `prisma generate` for one provider; resolves with its combined output and exit code. */
function generate(provider) {
  const schema = join(root, 'prisma', provider, 'schema.prisma');
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, 'generate', '--schema', schema], {
      cwd: root,
      env: {
        ...process.env,
        PRISMA_SCHEMA_ENGINE_BINARY: process.execPath,
        CHECKPOINT_DISABLE: '1',
        PRISMA_HIDE_UPDATE_MESSAGE: '1',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', (error) => resolve({ provider, code: 1, output: String(error), started }));
    child.on('close', (code) => resolve({ provider, code: code ?? 1, output, started }));
  });
}

if (!existsSync(cli)) {
  console.error(`prisma-generate: prisma CLI not found at ${relative(root, cli)}; run npm install first`);
  process.exit(1);
}

// Both clients are generated in parallel: they share nothing but the CLI files.
const results = await Promise.all(providers.map(generate));
let failed = false;
for (const { provider, code, output, started } of results) {
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const out = `src/persistence/generated/${provider}`;
  if (code === 0) {
    console.log(`prisma-generate: ${provider} client → ${out} (${seconds} s)`);
  } else {
    failed = true;
    console.error(`prisma-generate: ${provider} client failed (exit ${code}):\n${output.trim()}`);
  }
}
process.exit(failed ? 1 : 0);
