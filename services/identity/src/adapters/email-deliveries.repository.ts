import type { Queryable } from '@crm/platform/pg';

/**
 * Emails sent by identity are idempotency records of the platform's `idempotency_keys` table, in this scope (the
 * key is the whole request: `request_hash` repeats it).
 */
const SCOPE = 'identity.email';

export type DeliveryClaim = 'claimed' | 'already_sent';

export const emailDeliveriesRepository = {
  /**
   * Claims the right to send the email of `key`. `already_sent` when an earlier attempt completed it. A `started`
   * record (an attempt that died between SMTP and this table) is claimed again: the resend carries the same
   * Message-ID, derived from the key, so mail systems and tests can recognise it.
   */
  async claim(db: Queryable, key: string): Promise<DeliveryClaim> {
    const { rows } = await db.query<{ status: string }>(
      `INSERT INTO idempotency_keys (scope, key, request_hash, status) VALUES ($1, $2, $3, 'started')
       ON CONFLICT (scope, key) DO UPDATE SET scope = EXCLUDED.scope
       RETURNING status`,
      [SCOPE, key, key],
    );
    return rows[0]?.status === 'completed' ? 'already_sent' : 'claimed';
  },

  async complete(db: Queryable, key: string, messageId: string): Promise<void> {
    await db.query(
      `UPDATE idempotency_keys SET status = 'completed', response = $3, completed_at = now() WHERE scope = $1 AND key = $2`,
      [SCOPE, key, { messageId }],
    );
  },
};
