import type { Queryable } from '@crm/platform/pg';
import { builtinProfiles, type PermissionProfile } from '../domain/user';

export const profilesRepository = {
  /** Gives a new account its built-in Admin and User profiles (idempotent). */
  async seedBuiltins(db: Queryable, accountId: string, now: Date): Promise<void> {
    for (const profile of builtinProfiles) {
      await db.query(
        `INSERT INTO permission_profiles (account_id, id, name, builtin, created_at) VALUES ($1, $2, $3, true, $4)
         ON CONFLICT DO NOTHING`,
        [accountId, profile.id, profile.name, now],
      );
    }
  },

  async find(db: Queryable, accountId: string, id: string): Promise<PermissionProfile | undefined> {
    const { rows } = await db.query<PermissionProfile>(
      'SELECT id, name, builtin, permissions FROM permission_profiles WHERE account_id = $1 AND id = $2',
      [accountId, id],
    );
    return rows[0];
  },
};
