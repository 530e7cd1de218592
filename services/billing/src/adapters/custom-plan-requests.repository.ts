import type { Queryable } from '@crm/platform/pg';

export interface CustomPlanRequest {
  id: string;
  accountId: string;
  message: string;
  requestedBy: string;
  requestKey: string | undefined;
  createdAt: Date;
}

export const customPlanRequestsRepository = {
  /** Stores the request; false when the same request key was already stored for the account. */
  async insert(db: Queryable, request: CustomPlanRequest): Promise<boolean> {
    const { rowCount } = await db.query(
      `INSERT INTO custom_plan_requests (id, account_id, message, requested_by, request_key, created_at)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (account_id, request_key) DO NOTHING`,
      [
        request.id,
        request.accountId,
        request.message,
        request.requestedBy,
        request.requestKey ?? null,
        request.createdAt,
      ],
    );
    return rowCount === 1;
  },

  async findByRequestKey(db: Queryable, accountId: string, requestKey: string): Promise<CustomPlanRequest | undefined> {
    const { rows } = await db.query<{
      id: string;
      account_id: string;
      message: string;
      requested_by: string;
      request_key: string;
      created_at: Date;
    }>(
      'SELECT id, account_id, message, requested_by, request_key, created_at FROM custom_plan_requests WHERE account_id = $1 AND request_key = $2',
      [accountId, requestKey],
    );
    const row = rows[0];
    return (
      row && {
        id: row.id,
        accountId: row.account_id,
        message: row.message,
        requestedBy: row.requested_by,
        requestKey: row.request_key,
        createdAt: row.created_at,
      }
    );
  },
};
