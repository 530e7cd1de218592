import type { Queryable } from '@crm/platform/pg';

export const credentialsRepository = {
  async save(db: Queryable, accountId: string, userId: string, passwordHash: string, now: Date): Promise<void> {
    await db.query(
      `INSERT INTO credentials (user_id, account_id, password_hash, updated_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (user_id) DO UPDATE SET password_hash = EXCLUDED.password_hash, updated_at = EXCLUDED.updated_at`,
      [userId, accountId, passwordHash, now],
    );
  },

  async passwordHash(db: Queryable, accountId: string, userId: string): Promise<string | undefined> {
    const { rows } = await db.query<{ password_hash: string }>(
      'SELECT password_hash FROM credentials WHERE account_id = $1 AND user_id = $2',
      [accountId, userId],
    );
    return rows[0]?.password_hash;
  },
};
