import pg from 'pg';
import type { Logger } from '../logger/logger';

/** Anything that runs SQL: the pool, or the client of an open transaction. */
export type Queryable = Pick<pg.ClientBase, 'query'>;
/** The client of an open transaction: pass it to every repository call inside the use case. */
export type Tx = pg.PoolClient;

export interface Database {
  pool: pg.Pool;
  query: pg.Pool['query'];
  /** Runs `work` in one transaction: commits when it resolves, rolls back when it throws. */
  transaction<T>(work: (tx: Tx) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export function createDatabase(settings: { url: string; logger?: Logger; max?: number; applicationName?: string }): Database {
  const pool = new pg.Pool({
    connectionString: settings.url,
    max: settings.max ?? 10,
    application_name: settings.applicationName,
    connectionTimeoutMillis: 5_000,
  });
  pool.on('error', (error) => settings.logger?.error({ err: error }, 'idle PostgreSQL client failed'));

  return {
    pool,
    query: pool.query.bind(pool) as pg.Pool['query'],
    async transaction(work) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await work(client);
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}

/** True when PostgreSQL rejected a write for a unique constraint (SQLSTATE 23505), optionally a named one. */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const pgError = error as { code?: string; constraint?: string } | null;
  return pgError?.code === '23505' && (constraint === undefined || pgError.constraint === constraint);
}
