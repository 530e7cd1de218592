import type { Queryable } from '@crm/platform/pg';

export type ActivityResult = 'success' | 'failure' | 'denied';

export interface ActivityEntry {
  id: string;
  accountId: string;
  actorUserId: string | null;
  action: string;
  target: string;
  occurredAt: Date;
  ip: string;
  userAgent: string;
  result: ActivityResult;
  statusCode: number | null;
}

export interface ActivityFilter {
  actorUserId?: string;
  /** Entries whose actor or target is this user. */
  aboutUserId?: string;
  /** An action, or a prefix ending in `.`. */
  action?: string;
  from?: Date;
  to?: Date;
  beforeId?: string;
  limit: number;
}

export const activityRepository = {
  async insert(db: Queryable, entry: Omit<ActivityEntry, 'id'>): Promise<void> {
    await db.query(
      `INSERT INTO activity_log (account_id, actor_user_id, action, target, occurred_at, ip, user_agent, result, status_code)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        entry.accountId,
        entry.actorUserId,
        entry.action,
        entry.target,
        entry.occurredAt,
        entry.ip,
        entry.userAgent,
        entry.result,
        entry.statusCode,
      ],
    );
  },

  /** Newest first. */
  async list(db: Queryable, accountId: string, filter: ActivityFilter): Promise<ActivityEntry[]> {
    const params: unknown[] = [accountId];
    const where = ['account_id = $1'];
    const add = (clause: (n: number) => string, value: unknown) => {
      params.push(value);
      where.push(clause(params.length));
    };
    if (filter.actorUserId) add((n) => `actor_user_id = $${n}`, filter.actorUserId);
    if (filter.aboutUserId) add((n) => `(actor_user_id = $${n} OR target = 'user:' || $${n})`, filter.aboutUserId);
    if (filter.action?.endsWith('.')) add((n) => `starts_with(action, $${n})`, filter.action);
    else if (filter.action) add((n) => `action = $${n}`, filter.action);
    if (filter.from) add((n) => `occurred_at >= $${n}`, filter.from);
    if (filter.to) add((n) => `occurred_at < $${n}`, filter.to);
    if (filter.beforeId) add((n) => `id < $${n}`, filter.beforeId);
    params.push(filter.limit);
    const { rows } = await db.query<ActivityEntry>(
      `SELECT id::text, account_id AS "accountId", actor_user_id AS "actorUserId", action, target, occurred_at AS "occurredAt", ip,
              user_agent AS "userAgent", result, status_code AS "statusCode"
         FROM activity_log WHERE ${where.join(' AND ')} ORDER BY id DESC LIMIT $${params.length}`,
      params,
    );
    return rows;
  },
};
