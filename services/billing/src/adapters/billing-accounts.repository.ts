import type { Queryable } from '@crm/platform/pg';

export interface BillingAccount {
  accountId: string;
  name: string;
  planId: string;
  interval: 'month' | 'year';
  trialDays: number;
  billingEmail: string;
  registeredAt: Date;
}

export const billingAccountsRepository = {
  /** Records the account; a second registration of the same id changes nothing. */
  async register(db: Queryable, account: BillingAccount): Promise<void> {
    await db.query(
      `INSERT INTO billing_accounts (account_id, name, plan_id, billing_interval, trial_days, billing_email, registered_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (account_id) DO NOTHING`,
      [account.accountId, account.name, account.planId, account.interval, account.trialDays, account.billingEmail, account.registeredAt],
    );
  },

  /** When billing recorded the account, or undefined if it has not (yet). */
  async registeredAt(db: Queryable, accountId: string): Promise<Date | undefined> {
    const { rows } = await db.query<{ registered_at: Date }>(
      'SELECT registered_at FROM billing_accounts WHERE account_id = $1',
      [accountId],
    );
    return rows[0]?.registered_at;
  },
};
