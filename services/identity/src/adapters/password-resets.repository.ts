import type { Queryable } from '@crm/platform/pg';

export interface PasswordReset {
  accountId: string;
  userId: string;
  expiresAt: Date;
  usedAt: Date | null;
}

export const passwordResetsRepository = {
  async insert(db: Queryable, reset: PasswordReset & { createdAt: Date }, tokenHash: Buffer): Promise<void> {
    await db.query(
      'INSERT INTO password_resets (token_hash, account_id, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)',
      [tokenHash, reset.accountId, reset.userId, reset.createdAt, reset.expiresAt],
    );
  },

  /** The reset a link opens, locked (the token names the account). */
  async lockByToken(db: Queryable, tokenHash: Buffer): Promise<PasswordReset | undefined> {
    const { rows } = await db.query<PasswordReset>(
      `SELECT account_id AS "accountId", user_id AS "userId", expires_at AS "expiresAt", used_at AS "usedAt"
         FROM password_resets WHERE token_hash = $1 FOR UPDATE`,
      [tokenHash],
    );
    return rows[0];
  },

  /** Uses this link and kills every other open link of the user. */
  async useAllForUser(db: Queryable, accountId: string, userId: string, now: Date): Promise<void> {
    await db.query(
      'UPDATE password_resets SET used_at = $3 WHERE account_id = $1 AND user_id = $2 AND used_at IS NULL',
      [accountId, userId, now],
    );
  },
};
