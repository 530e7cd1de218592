import type { Queryable } from '@crm/platform/pg';

/** A row of the platform's `idempotency_keys` table: the outcome of one operation under a caller's key. */
export interface IdempotencyRecord<R> {
  requestHash: string;
  status: 'started' | 'completed';
  response: R | undefined;
  createdAt: Date;
}

export const idempotencyRepository = {
  /** Claims (scope, key) in its own statement; false when it had been claimed before. */
  async claim(db: Queryable, scope: string, key: string, requestHash: string): Promise<boolean> {
    const { rowCount } = await db.query(
      `INSERT INTO idempotency_keys (scope, key, request_hash, status) VALUES ($1, $2, $3, 'started') ON CONFLICT DO NOTHING`,
      [scope, key, requestHash],
    );
    return rowCount === 1;
  },

  async find<R>(db: Queryable, scope: string, key: string): Promise<IdempotencyRecord<R> | undefined> {
    const { rows } = await db.query<{
      request_hash: string;
      status: 'started' | 'completed';
      response: R | null;
      created_at: Date;
    }>('SELECT request_hash, status, response, created_at FROM idempotency_keys WHERE scope = $1 AND key = $2', [
      scope,
      key,
    ]);
    const row = rows[0];
    return (
      row && {
        requestHash: row.request_hash,
        status: row.status,
        response: row.response ?? undefined,
        createdAt: row.created_at,
      }
    );
  },

  /** The record locked until the transaction ends: concurrent holders of the same key wait here. */
  async lock<R>(db: Queryable, scope: string, key: string): Promise<IdempotencyRecord<R> | undefined> {
    const { rows } = await db.query<{
      request_hash: string;
      status: 'started' | 'completed';
      response: R | null;
      created_at: Date;
    }>(
      'SELECT request_hash, status, response, created_at FROM idempotency_keys WHERE scope = $1 AND key = $2 FOR UPDATE',
      [scope, key],
    );
    const row = rows[0];
    return (
      row && {
        requestHash: row.request_hash,
        status: row.status,
        response: row.response ?? undefined,
        createdAt: row.created_at,
      }
    );
  },

  /** Records the outcome; the first to complete a key wins (a concurrent repeat produced the same outcome). */
  async complete<R>(db: Queryable, scope: string, key: string, response: R): Promise<void> {
    await db.query(
      `UPDATE idempotency_keys SET status = 'completed', response = $3, completed_at = now()
        WHERE scope = $1 AND key = $2 AND status = 'started'`,
      [scope, key, JSON.stringify(response)],
    );
  },
};
