/**
 * Migrations without the prisma CLI (which cannot fetch its native engine offline): the wasm
 * schema engine on driver adapters, reading and writing Prisma's standard migration files.
 */
export { applyMigrations, migrationStatus, type MigrateOptions, type MigrationStatus } from './apply.ts';
export { createMigration, schemaDrift, type CreatedMigration, type CreateOptions, type DiffOptions } from './diff.ts';
export { createDatabase, disposableName, dropDatabase } from './postgres-admin.ts';
