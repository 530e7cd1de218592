import type { Queryable } from '@crm/platform/pg';
import { activityRepository, type ActivityEntry } from '../adapters/activity.repository';
import { isUuid } from '../domain/staff-input';
import type { IdentityDeps } from '../deps';

const ACTION = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/;

/** Adds one line to the account's activity log (the gateway's record of authenticated actions, and logins). */
export async function recordActivity(
  deps: IdentityDeps,
  entry: Omit<ActivityEntry, 'id'>,
  db: Queryable = deps.db.pool,
): Promise<void> {
  if (!isUuid(entry.accountId) || !ACTION.test(entry.action)) {
    throw new Error(`refusing a malformed activity entry (account "${entry.accountId}", action "${entry.action}")`);
  }
  await activityRepository.insert(db, {
    ...entry,
    actorUserId: entry.actorUserId && isUuid(entry.actorUserId) ? entry.actorUserId : null,
    target: entry.target.slice(0, 200),
    ip: entry.ip.slice(0, 64),
    userAgent: entry.userAgent.slice(0, 512),
  });
}
