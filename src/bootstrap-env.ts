/**
 * Imported first by every entry point. Loads `.env` when present (variables
 * already set win), and silences the "injected env" banner that a dependency's
 * copy of dotenv prints at import time.
 */
import { existsSync } from 'node:fs';

if (existsSync('.env')) {
  const before = { ...process.env };
  process.loadEnvFile('.env');
  Object.assign(process.env, before);
}
process.env.DOTENV_CONFIG_QUIET ??= 'true';
