import { createHash } from 'node:crypto';
import { DomainError } from '@crm/platform/errors';
import type { Queryable } from '@crm/platform/pg';

/** A request's fingerprint: the same key with another request is refused (409 idempotency.key_reused). */
export const requestHash = (request: unknown) => createHash('sha256').update(JSON.stringify(request)).digest('hex');

/**
 * Requests made with an `Idempotency-Key`, as records of the platform's `idempotency_keys` table: written in the
 * same transaction as the effect, so a repeat finds the first answer or (racing) waits for it on the key's row.
 */
export const idempotentRequestsRepository = {
  async find<T>(db: Queryable, scope: string, key: string, hash: string): Promise<T | undefined> {
    const { rows } = await db.query<{ request_hash: string; response: T }>(
      `SELECT request_hash, response FROM idempotency_keys WHERE scope = $1 AND key = $2 AND status = 'completed'`,
      [scope, key],
    );
    const row = rows[0];
    if (!row) return undefined;
    if (row.request_hash !== hash) throw new DomainError('idempotency.key_reused', { key });
    return row.response;
  },

  async save(db: Queryable, scope: string, key: string, hash: string, response: unknown): Promise<void> {
    await db.query(
      `INSERT INTO idempotency_keys (scope, key, request_hash, status, response, completed_at) VALUES ($1, $2, $3, 'completed', $4, now())`,
      [scope, key, hash, JSON.stringify(response)],
    );
  },
};
