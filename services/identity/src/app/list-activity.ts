import { validationError } from '@crm/platform/errors';
import { activityRepository, type ActivityEntry, type ActivityFilter } from '../adapters/activity.repository';
import type { IdentityDeps } from '../deps';

/** The account's activity log, newest first, filtered; `beforeId` pages backwards. */
export async function listActivity(
  deps: IdentityDeps,
  accountId: string,
  filter: Partial<ActivityFilter>,
): Promise<ActivityEntry[]> {
  if (filter.from && filter.to && filter.from > filter.to) {
    throw validationError([{ field: 'from', message: 'from must not be after to', code: 'invalid_range' }]);
  }
  if (filter.beforeId !== undefined && !/^\d{1,18}$/.test(filter.beforeId)) {
    throw validationError([
      { field: 'before', message: 'before is the id of an entry from the previous page', code: 'invalid_format' },
    ]);
  }
  const limit = Math.min(Math.max(filter.limit ?? 100, 1), 500);
  return activityRepository.list(deps.db.pool, accountId, { ...filter, limit });
}
