import type { Queryable } from '@crm/platform/pg';
import type { Subscription } from '../domain/subscription';

interface SubscriptionRow {
  account_id: string;
  plan_id: string;
  billing_interval: Subscription['interval'];
  price: string;
  currency: string;
  status: Subscription['status'];
  trial_ends_at: Date | null;
  anchor: Date;
  cycle: number;
  current_period_start: Date;
  current_period_end: Date;
  pending_plan_id: string | null;
  pending_interval: Subscription['interval'] | null;
  pending_requested_at: Date | null;
  created_at: Date;
}

const columns = `account_id, plan_id, billing_interval, price, currency, status, trial_ends_at, anchor, cycle,
  current_period_start, current_period_end, pending_plan_id, pending_interval, pending_requested_at, created_at`;

const toSubscription = (row: SubscriptionRow): Subscription => ({
  accountId: row.account_id,
  planId: row.plan_id,
  interval: row.billing_interval,
  price: Number(row.price),
  currency: row.currency,
  status: row.status,
  trialEndsAt: row.trial_ends_at ?? undefined,
  anchor: row.anchor,
  cycle: row.cycle,
  currentPeriodStart: row.current_period_start,
  currentPeriodEnd: row.current_period_end,
  pendingChange:
    row.pending_plan_id && row.pending_interval
      ? {
          planId: row.pending_plan_id,
          interval: row.pending_interval,
          requestedAt: row.pending_requested_at ?? row.created_at,
        }
      : undefined,
  createdAt: row.created_at,
});

export const subscriptionsRepository = {
  /** Creates the account's subscription; false when it already has one. */
  async insert(db: Queryable, subscription: Subscription): Promise<boolean> {
    const { rowCount } = await db.query(
      `INSERT INTO subscriptions (${columns}, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $15) ON CONFLICT (account_id) DO NOTHING`,
      params(subscription),
    );
    return rowCount === 1;
  },

  async find(db: Queryable, accountId: string): Promise<Subscription | undefined> {
    const { rows } = await db.query<SubscriptionRow>(`SELECT ${columns} FROM subscriptions WHERE account_id = $1`, [
      accountId,
    ]);
    return rows[0] && toSubscription(rows[0]);
  },

  /** The subscription locked until the transaction ends: plan changes and renewals of one account serialise here. */
  async lock(db: Queryable, accountId: string): Promise<Subscription | undefined> {
    const { rows } = await db.query<SubscriptionRow>(
      `SELECT ${columns} FROM subscriptions WHERE account_id = $1 FOR UPDATE`,
      [accountId],
    );
    return rows[0] && toSubscription(rows[0]);
  },

  async save(db: Queryable, subscription: Subscription, now: Date): Promise<void> {
    await db.query(
      `UPDATE subscriptions SET plan_id = $2, billing_interval = $3, price = $4, currency = $5, status = $6, trial_ends_at = $7,
         anchor = $8, cycle = $9, current_period_start = $10, current_period_end = $11, pending_plan_id = $12,
         pending_interval = $13, pending_requested_at = $14, updated_at = $15
       WHERE account_id = $1`,
      [...params(subscription).slice(0, 14), now],
    );
  },
};

function params(s: Subscription) {
  return [
    s.accountId,
    s.planId,
    s.interval,
    s.price,
    s.currency,
    s.status,
    s.trialEndsAt ?? null,
    s.anchor,
    s.cycle,
    s.currentPeriodStart,
    s.currentPeriodEnd,
    s.pendingChange?.planId ?? null,
    s.pendingChange?.interval ?? null,
    s.pendingChange?.requestedAt ?? null,
    s.createdAt,
  ];
}
