import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Two test files at once even on 2 cores (vitest's default there is one): most integration tests
    // wait on HTTP, a database or slapd, so two overlap well (whole suite here: 485 s on SQLite, 562 s on PostgreSQL).
    maxWorkers: 2,
    env: { DOTENV_CONFIG_QUIET: 'true', LOG_LEVEL: 'silent' },
  },
});
