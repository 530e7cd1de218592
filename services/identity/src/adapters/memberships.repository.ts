import type { Queryable } from '@crm/platform/pg';

export type MembershipKind = 'calendar' | 'pipeline';

export const membershipsRepository = {
  async add(
    db: Queryable,
    accountId: string,
    userId: string,
    kind: MembershipKind,
    resourceIds: string[],
    now: Date,
  ): Promise<void> {
    if (resourceIds.length === 0) return;
    await db.query(
      `INSERT INTO memberships (account_id, kind, resource_id, user_id, created_at)
       SELECT $1, $2, resource_id, $3, $5 FROM unnest($4::text[]) AS resource_id
       ON CONFLICT DO NOTHING`,
      [accountId, kind, userId, resourceIds, now],
    );
  },

  async listForUser(
    db: Queryable,
    accountId: string,
    userId: string,
  ): Promise<{ kind: MembershipKind; resourceId: string }[]> {
    const { rows } = await db.query<{ kind: MembershipKind; resourceId: string }>(
      'SELECT kind, resource_id AS "resourceId" FROM memberships WHERE account_id = $1 AND user_id = $2 ORDER BY kind, resource_id',
      [accountId, userId],
    );
    return rows;
  },

  /** Drops every membership of the user and returns what they were in. */
  async removeAllForUser(
    db: Queryable,
    accountId: string,
    userId: string,
  ): Promise<{ kind: MembershipKind; resourceId: string }[]> {
    const { rows } = await db.query<{ kind: MembershipKind; resourceId: string }>(
      'DELETE FROM memberships WHERE account_id = $1 AND user_id = $2 RETURNING kind, resource_id AS "resourceId"',
      [accountId, userId],
    );
    return rows;
  },
};
