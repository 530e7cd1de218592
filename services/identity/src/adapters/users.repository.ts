import type { Queryable } from '@crm/platform/pg';
import { ADMIN_PROFILE_ID, type InvitationStatus, type User, type UserStatus } from '../domain/user';

const columns = `u.id, u.account_id AS "accountId", u.email, u.first_name AS "firstName", u.last_name AS "lastName", u.phone,
  u.profile_id AS "profileId", u.status, u.is_owner AS "isOwner", u.created_at AS "createdAt", u.updated_at AS "updatedAt",
  u.activated_at AS "activatedAt"`;

/** A user as the staff list shows them: profile name, latest invitation, calendar/pipeline flags. */
export interface StaffRow extends User {
  profileName: string;
  invitationId: string | null;
  invitationStatus: InvitationStatus | null;
  invitationExpiresAt: Date | null;
  inNoCalendar: boolean;
  inNoPipeline: boolean;
}

const staffSelect = `SELECT ${columns}, p.name AS "profileName",
    i.id AS "invitationId", i.status AS "invitationStatus", i.expires_at AS "invitationExpiresAt",
    (u.status = 'active' AND NOT EXISTS (SELECT 1 FROM memberships m
       WHERE m.account_id = u.account_id AND m.user_id = u.id AND m.kind = 'calendar')) AS "inNoCalendar",
    (u.status = 'active' AND NOT EXISTS (SELECT 1 FROM memberships m
       WHERE m.account_id = u.account_id AND m.user_id = u.id AND m.kind = 'pipeline')) AS "inNoPipeline"
  FROM users u
  JOIN permission_profiles p ON p.account_id = u.account_id AND p.id = u.profile_id
  LEFT JOIN LATERAL (SELECT id, status, expires_at FROM invitations
     WHERE account_id = u.account_id AND user_id = u.id ORDER BY created_at DESC LIMIT 1) i ON true`;

export const usersRepository = {
  async insert(db: Queryable, user: User): Promise<void> {
    await db.query(
      `INSERT INTO users (id, account_id, email, first_name, last_name, phone, profile_id, status, is_owner, created_at, updated_at, activated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
      [
        user.id,
        user.accountId,
        user.email,
        user.firstName,
        user.lastName,
        user.phone,
        user.profileId,
        user.status,
        user.isOwner,
        user.createdAt,
        user.updatedAt,
        user.activatedAt,
      ],
    );
  },

  async findById(db: Queryable, accountId: string, id: string): Promise<User | undefined> {
    const { rows } = await db.query<User>(`SELECT ${columns} FROM users u WHERE u.account_id = $1 AND u.id = $2`, [
      accountId,
      id,
    ]);
    return rows[0];
  },

  async lockById(db: Queryable, accountId: string, id: string): Promise<User | undefined> {
    const { rows } = await db.query<User>(
      `SELECT ${columns} FROM users u WHERE u.account_id = $1 AND u.id = $2 FOR UPDATE`,
      [accountId, id],
    );
    return rows[0];
  },

  /** The account's user with this email who is not removed. */
  async findByEmail(db: Queryable, accountId: string, email: string): Promise<User | undefined> {
    const { rows } = await db.query<User>(
      `SELECT ${columns} FROM users u WHERE u.account_id = $1 AND u.email = $2 AND u.status <> 'removed'`,
      [accountId, email.trim().toLowerCase()],
    );
    return rows[0];
  },

  /**
   * Locks the account's active Admins (in id order, so concurrent removals serialise instead of both passing the
   * "not the last Admin" check) and returns how many there are.
   */
  async lockActiveAdmins(db: Queryable, accountId: string): Promise<number> {
    const { rows } = await db.query(
      `SELECT id FROM users WHERE account_id = $1 AND status = 'active' AND profile_id = $2 ORDER BY id FOR UPDATE`,
      [accountId, ADMIN_PROFILE_ID],
    );
    return rows.length;
  },

  async setStatus(db: Queryable, accountId: string, id: string, status: UserStatus, now: Date): Promise<void> {
    await db.query(
      `UPDATE users SET status = $3, updated_at = $4,
         activated_at = CASE WHEN $3 = 'active' AND activated_at IS NULL THEN $4 ELSE activated_at END
       WHERE account_id = $1 AND id = $2`,
      [accountId, id, status, now],
    );
  },

  async update(db: Queryable, user: User): Promise<void> {
    await db.query(
      `UPDATE users SET first_name = $3, last_name = $4, phone = $5, profile_id = $6, updated_at = $7
       WHERE account_id = $1 AND id = $2`,
      [user.accountId, user.id, user.firstName, user.lastName, user.phone, user.profileId, user.updatedAt],
    );
  },

  /** The account's users who hold a profile and are not removed, locked (in id order), oldest first. */
  async lockHoldersOf(db: Queryable, accountId: string, profileId: string): Promise<User[]> {
    const { rows } = await db.query<User>(
      `SELECT ${columns} FROM users u WHERE u.account_id = $1 AND u.profile_id = $2 AND u.status <> 'removed'
        ORDER BY u.id FOR UPDATE`,
      [accountId, profileId],
    );
    return rows.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
  },

  /** Gives these users of the account another profile. */
  async assignProfile(
    db: Queryable,
    accountId: string,
    userIds: string[],
    profileId: string,
    now: Date,
  ): Promise<void> {
    await db.query(`UPDATE users SET profile_id = $3, updated_at = $4 WHERE account_id = $1 AND id = ANY($2::uuid[])`, [
      accountId,
      userIds,
      profileId,
      now,
    ]);
  },

  async staffRow(db: Queryable, accountId: string, id: string): Promise<StaffRow | undefined> {
    const { rows } = await db.query<StaffRow>(`${staffSelect} WHERE u.account_id = $1 AND u.id = $2`, [accountId, id]);
    return rows[0];
  },

  /** The staff list: every user but removed ones (or those of one status), optionally matching `query`. */
  async list(db: Queryable, accountId: string, filter: { status?: UserStatus; query?: string }): Promise<StaffRow[]> {
    const params: unknown[] = [accountId];
    const where = ['u.account_id = $1'];
    if (filter.status) {
      params.push(filter.status);
      where.push(`u.status = $${params.length}`);
    } else {
      where.push(`u.status <> 'removed'`);
    }
    if (filter.query) {
      params.push(`%${filter.query.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
      where.push(
        `(u.email LIKE $${params.length} OR lower(u.first_name || ' ' || u.last_name) LIKE $${params.length})`,
      );
    }
    const { rows } = await db.query<StaffRow>(
      `${staffSelect} WHERE ${where.join(' AND ')} ORDER BY u.created_at, u.id`,
      params,
    );
    return rows;
  },
};
