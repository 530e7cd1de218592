import type { Queryable } from '@crm/platform/pg';

export interface Session {
  id: string;
  accountId: string;
  userId: string;
  createdAt: Date;
  lastSeenAt: Date;
  absoluteExpiresAt: Date;
  endedAt: Date | null;
  ip: string;
  userAgent: string;
}

const columns = `s.id, s.account_id AS "accountId", s.user_id AS "userId", s.created_at AS "createdAt", s.last_seen_at AS "lastSeenAt",
  s.absolute_expires_at AS "absoluteExpiresAt", s.ended_at AS "endedAt", s.ip, s.user_agent AS "userAgent"`;

/** Everything the gateway needs about the caller, read in one query from the session token. */
export interface SessionPrincipal {
  sessionId: string;
  accountId: string;
  userId: string;
  tokenHash: Buffer;
  lastSeenAt: Date;
  absoluteExpiresAt: Date;
  endedAt: Date | null;
  userStatus: string;
  accountStatus: string;
  profileId: string;
  profileBuiltin: boolean;
  profilePermissions: string[];
}

export const sessionsRepository = {
  /** The token names the account, so this lookup has no account id to scope by; the joins keep to its account. */
  async findPrincipal(db: Queryable, tokenHash: Buffer): Promise<SessionPrincipal | undefined> {
    const { rows } = await db.query<SessionPrincipal>(
      `SELECT s.id AS "sessionId", s.account_id AS "accountId", s.user_id AS "userId", s.token_hash AS "tokenHash",
              s.last_seen_at AS "lastSeenAt", s.absolute_expires_at AS "absoluteExpiresAt", s.ended_at AS "endedAt",
              u.status AS "userStatus", a.status AS "accountStatus", p.id AS "profileId", p.builtin AS "profileBuiltin",
              p.permissions AS "profilePermissions"
         FROM sessions s
         JOIN users u ON u.account_id = s.account_id AND u.id = s.user_id
         JOIN accounts a ON a.id = s.account_id
         JOIN permission_profiles p ON p.account_id = u.account_id AND p.id = u.profile_id
        WHERE s.token_hash = $1`,
      [tokenHash],
    );
    return rows[0];
  },

  async insert(db: Queryable, session: Session, tokenHash: Buffer): Promise<void> {
    await db.query(
      `INSERT INTO sessions (id, account_id, user_id, token_hash, created_at, last_seen_at, absolute_expires_at, ip, user_agent)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        session.id,
        session.accountId,
        session.userId,
        tokenHash,
        session.createdAt,
        session.lastSeenAt,
        session.absoluteExpiresAt,
        session.ip,
        session.userAgent,
      ],
    );
  },

  async touch(db: Queryable, accountId: string, id: string, now: Date): Promise<void> {
    await db.query('UPDATE sessions SET last_seen_at = $3 WHERE account_id = $1 AND id = $2 AND ended_at IS NULL', [
      accountId,
      id,
      now,
    ]);
  },

  /** Ends one of the user's open sessions; false when there is no such open session. */
  async end(db: Queryable, accountId: string, userId: string, id: string, reason: string, now: Date): Promise<boolean> {
    const { rowCount } = await db.query(
      `UPDATE sessions SET ended_at = $4, end_reason = $5 WHERE account_id = $1 AND user_id = $2 AND id = $3 AND ended_at IS NULL`,
      [accountId, userId, id, now, reason],
    );
    return rowCount === 1;
  },

  async endAllForUser(db: Queryable, accountId: string, userId: string, reason: string, now: Date): Promise<number> {
    const { rowCount } = await db.query(
      'UPDATE sessions SET ended_at = $3, end_reason = $4 WHERE account_id = $1 AND user_id = $2 AND ended_at IS NULL',
      [accountId, userId, now, reason],
    );
    return rowCount ?? 0;
  },

  /** The user's sessions that still open the door: not ended, within absolute and idle expiry. */
  async listOpen(db: Queryable, accountId: string, userId: string, now: Date, idleMs: number): Promise<Session[]> {
    const { rows } = await db.query<Session>(
      `SELECT ${columns} FROM sessions s
        WHERE s.account_id = $1 AND s.user_id = $2 AND s.ended_at IS NULL AND s.absolute_expires_at > $3
          AND s.last_seen_at > $3 - make_interval(secs => $4)
        ORDER BY s.last_seen_at DESC`,
      [accountId, userId, now, idleMs / 1000],
    );
    return rows;
  },
};
