import type { Queryable } from '@crm/platform/pg';
import type { BillingAddress } from '../domain/billing-address';

export interface BillingAccount {
  accountId: string;
  name: string;
  planId: string;
  interval: 'month' | 'year';
  trialDays: number;
  billingEmail: string;
  registeredAt: Date;
  stripeCustomerId?: string;
  billingAddress?: BillingAddress;
}

interface BillingAccountRow {
  account_id: string;
  name: string;
  plan_id: string;
  billing_interval: 'month' | 'year';
  trial_days: number;
  billing_email: string;
  registered_at: Date;
  stripe_customer_id: string | null;
  billing_address: BillingAddress | null;
}

const columns =
  'account_id, name, plan_id, billing_interval, trial_days, billing_email, registered_at, stripe_customer_id, billing_address';

const toAccount = (row: BillingAccountRow): BillingAccount => ({
  accountId: row.account_id,
  name: row.name,
  planId: row.plan_id,
  interval: row.billing_interval,
  trialDays: row.trial_days,
  billingEmail: row.billing_email,
  registeredAt: row.registered_at,
  stripeCustomerId: row.stripe_customer_id ?? undefined,
  billingAddress: row.billing_address ?? undefined,
});

export const billingAccountsRepository = {
  /** Records the account; returns false when this id was already registered (nothing changes then). */
  async register(db: Queryable, account: BillingAccount): Promise<boolean> {
    const { rowCount } = await db.query(
      `INSERT INTO billing_accounts (account_id, name, plan_id, billing_interval, trial_days, billing_email, registered_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (account_id) DO NOTHING`,
      [
        account.accountId,
        account.name,
        account.planId,
        account.interval,
        account.trialDays,
        account.billingEmail,
        account.registeredAt,
      ],
    );
    return rowCount === 1;
  },

  /** When billing recorded the account, or undefined if it has not (yet). */
  async registeredAt(db: Queryable, accountId: string): Promise<Date | undefined> {
    const { rows } = await db.query<{ registered_at: Date }>(
      'SELECT registered_at FROM billing_accounts WHERE account_id = $1',
      [accountId],
    );
    return rows[0]?.registered_at;
  },

  async find(db: Queryable, accountId: string): Promise<BillingAccount | undefined> {
    const { rows } = await db.query<BillingAccountRow>(
      `SELECT ${columns} FROM billing_accounts WHERE account_id = $1`,
      [accountId],
    );
    return rows[0] && toAccount(rows[0]);
  },

  /** The account row locked for the rest of the transaction (serialises customer creation and numbering). */
  async lock(db: Queryable, accountId: string): Promise<BillingAccount | undefined> {
    const { rows } = await db.query<BillingAccountRow>(
      `SELECT ${columns} FROM billing_accounts WHERE account_id = $1 FOR UPDATE`,
      [accountId],
    );
    return rows[0] && toAccount(rows[0]);
  },

  async setStripeCustomer(db: Queryable, accountId: string, customerId: string): Promise<void> {
    await db.query('UPDATE billing_accounts SET stripe_customer_id = $2 WHERE account_id = $1', [
      accountId,
      customerId,
    ]);
  },

  async setBillingDetails(
    db: Queryable,
    accountId: string,
    address: BillingAddress,
    billingEmail: string,
  ): Promise<void> {
    await db.query('UPDATE billing_accounts SET billing_address = $2, billing_email = $3 WHERE account_id = $1', [
      accountId,
      address,
      billingEmail,
    ]);
  },

  /** The account's next invoice number (1, 2, 3…), atomically. */
  async nextInvoiceNumber(db: Queryable, accountId: string): Promise<number> {
    const { rows } = await db.query<{ invoice_counter: number }>(
      'UPDATE billing_accounts SET invoice_counter = invoice_counter + 1 WHERE account_id = $1 RETURNING invoice_counter',
      [accountId],
    );
    if (!rows[0]) throw new Error(`billing account ${accountId} does not exist`);
    return rows[0].invoice_counter;
  },

  /** The account a Stripe customer belongs to. */
  async findByStripeCustomer(db: Queryable, customerId: string): Promise<BillingAccount | undefined> {
    const { rows } = await db.query<BillingAccountRow>(
      `SELECT ${columns} FROM billing_accounts WHERE stripe_customer_id = $1`,
      [customerId],
    );
    return rows[0] && toAccount(rows[0]);
  },
};
