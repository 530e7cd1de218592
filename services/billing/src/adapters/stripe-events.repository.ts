import type { Queryable } from '@crm/platform/pg';

/** Stripe webhook events already handled, by Stripe's event id. */
export const stripeEventsRepository = {
  /** Records the event inside the caller's transaction; false when it was recorded before (a redelivery). */
  async record(db: Queryable, event: { id: string; type: string; accountId: string | undefined }): Promise<boolean> {
    const { rowCount } = await db.query(
      'INSERT INTO stripe_events (event_id, event_type, account_id) VALUES ($1, $2, $3) ON CONFLICT (event_id) DO NOTHING',
      [event.id, event.type, event.accountId ?? null],
    );
    return rowCount === 1;
  },
};
