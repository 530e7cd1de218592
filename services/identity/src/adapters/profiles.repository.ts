import type { Queryable } from '@crm/platform/pg';
import { builtinProfiles, type PermissionProfile } from '../domain/user';

/** A profile as the API shows it: with its timestamps and how many users (not removed) hold it. */
export interface StoredProfile extends PermissionProfile {
  createdAt: Date;
  updatedAt: Date;
  userCount: number;
}

const columns = 'p.id, p.name, p.builtin, p.permissions';
const withCount = `${columns}, p.created_at AS "createdAt", p.updated_at AS "updatedAt",
  (SELECT count(*)::int FROM users u WHERE u.account_id = p.account_id AND u.profile_id = p.id AND u.status <> 'removed') AS "userCount"`;

/**
 * Permission profiles, always within one account. A deleted custom profile stays as a row (removed users who held it
 * keep its name in their history) but is invisible to everything here.
 */
export const profilesRepository = {
  /** Gives a new account its built-in Admin and User profiles (idempotent). */
  async seedBuiltins(db: Queryable, accountId: string, now: Date): Promise<void> {
    for (const profile of builtinProfiles) {
      await db.query(
        `INSERT INTO permission_profiles (account_id, id, name, builtin, created_at, updated_at) VALUES ($1, $2, $3, true, $4, $4)
         ON CONFLICT DO NOTHING`,
        [accountId, profile.id, profile.name, now],
      );
    }
  },

  async find(db: Queryable, accountId: string, id: string): Promise<PermissionProfile | undefined> {
    const { rows } = await db.query<PermissionProfile>(
      `SELECT ${columns} FROM permission_profiles p WHERE p.account_id = $1 AND p.id = $2 AND p.deleted_at IS NULL`,
      [accountId, id],
    );
    return rows[0];
  },

  /**
   * The profile about to be given to a user, share-locked until the transaction ends, so that it cannot be deleted
   * (or its permissions changed) between the escalation check and the assignment.
   */
  async findForAssignment(db: Queryable, accountId: string, id: string): Promise<PermissionProfile | undefined> {
    const { rows } = await db.query<PermissionProfile>(
      `SELECT ${columns} FROM permission_profiles p WHERE p.account_id = $1 AND p.id = $2 AND p.deleted_at IS NULL FOR SHARE`,
      [accountId, id],
    );
    return rows[0];
  },

  /** The profile about to be edited or deleted, locked against concurrent edits and assignments. */
  async lock(db: Queryable, accountId: string, id: string): Promise<PermissionProfile | undefined> {
    const { rows } = await db.query<PermissionProfile>(
      `SELECT ${columns} FROM permission_profiles p WHERE p.account_id = $1 AND p.id = $2 AND p.deleted_at IS NULL FOR UPDATE`,
      [accountId, id],
    );
    return rows[0];
  },

  async get(db: Queryable, accountId: string, id: string): Promise<StoredProfile | undefined> {
    const { rows } = await db.query<StoredProfile>(
      `SELECT ${withCount} FROM permission_profiles p WHERE p.account_id = $1 AND p.id = $2 AND p.deleted_at IS NULL`,
      [accountId, id],
    );
    return rows[0];
  },

  /** Built-ins first (Admin, User), then custom profiles by name. */
  async list(db: Queryable, accountId: string): Promise<StoredProfile[]> {
    const { rows } = await db.query<StoredProfile>(
      `SELECT ${withCount} FROM permission_profiles p WHERE p.account_id = $1 AND p.deleted_at IS NULL
        ORDER BY p.builtin DESC, CASE p.id WHEN 'admin' THEN 0 WHEN 'user' THEN 1 ELSE 2 END, lower(p.name), p.id`,
      [accountId],
    );
    return rows;
  },

  /** Whether another live profile of the account has this name, case-insensitively. */
  async nameTaken(db: Queryable, accountId: string, name: string, exceptId?: string): Promise<boolean> {
    const { rows } = await db.query(
      `SELECT 1 FROM permission_profiles
        WHERE account_id = $1 AND lower(name) = lower($2) AND deleted_at IS NULL AND id <> $3`,
      [accountId, name, exceptId ?? ''],
    );
    return rows.length > 0;
  },

  async insert(db: Queryable, accountId: string, profile: PermissionProfile, now: Date): Promise<void> {
    await db.query(
      `INSERT INTO permission_profiles (account_id, id, name, builtin, permissions, created_at, updated_at)
       VALUES ($1, $2, $3, false, $4, $5, $5)`,
      [accountId, profile.id, profile.name, profile.permissions, now],
    );
  },

  async update(db: Queryable, accountId: string, profile: PermissionProfile, now: Date): Promise<void> {
    await db.query(
      `UPDATE permission_profiles SET name = $3, permissions = $4, updated_at = $5
        WHERE account_id = $1 AND id = $2 AND NOT builtin AND deleted_at IS NULL`,
      [accountId, profile.id, profile.name, profile.permissions, now],
    );
  },

  async markDeleted(db: Queryable, accountId: string, id: string, now: Date): Promise<void> {
    await db.query(
      `UPDATE permission_profiles SET deleted_at = $3, updated_at = $3
        WHERE account_id = $1 AND id = $2 AND NOT builtin AND deleted_at IS NULL`,
      [accountId, id, now],
    );
  },
};
