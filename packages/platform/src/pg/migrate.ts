import path from 'node:path';
import { runner } from 'node-pg-migrate';
import type { Logger } from '../logger/logger';

/** The chassis' own tables (outbox, inbox, idempotency), shared by every service database. */
const platformMigrationsDir = path.resolve(__dirname, '../../migrations');

/**
 * Brings a service database up to date: the platform's migrations first, then the service's own.
 * SQL files with `-- Up Migration` / `-- Down Migration` sections, run in order under an advisory lock,
 * so concurrent starts of the same service are safe.
 */
export async function migrateDatabase(settings: { url: string; serviceMigrationsDir?: string; logger: Logger }) {
  const log = (message: string) => settings.logger.debug({ migration: true }, message);
  const base = { databaseUrl: settings.url, direction: 'up' as const, count: Infinity, log, singleTransaction: true };
  const platform = await runner({ ...base, dir: platformMigrationsDir, migrationsTable: 'pgmigrations_platform' });
  const service = settings.serviceMigrationsDir
    ? await runner({ ...base, dir: settings.serviceMigrationsDir, migrationsTable: 'pgmigrations' })
    : [];
  const applied = [...platform, ...service].map((migration) => migration.name);
  if (applied.length > 0) settings.logger.info({ applied }, 'database migrated');
  return applied;
}
