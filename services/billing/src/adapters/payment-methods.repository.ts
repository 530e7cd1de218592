import type { Queryable } from '@crm/platform/pg';
import type { CardSummary } from '../domain/payment-method';

interface PaymentMethodRow {
  id: string;
  brand: string;
  last4: string;
  exp_month: number;
  exp_year: number;
}

const toCard = (row: PaymentMethodRow): CardSummary => ({
  id: row.id,
  brand: row.brand,
  last4: row.last4,
  expMonth: row.exp_month,
  expYear: row.exp_year,
});

/** The cards billing knows (brand, last 4, expiry), one of them the account's default. */
export const paymentMethodsRepository = {
  async findDefault(db: Queryable, accountId: string): Promise<CardSummary | undefined> {
    const { rows } = await db.query<PaymentMethodRow>(
      'SELECT id, brand, last4, exp_month, exp_year FROM payment_methods WHERE account_id = $1 AND is_default',
      [accountId],
    );
    return rows[0] && toCard(rows[0]);
  },

  async find(db: Queryable, accountId: string, id: string): Promise<CardSummary | undefined> {
    const { rows } = await db.query<PaymentMethodRow>(
      'SELECT id, brand, last4, exp_month, exp_year FROM payment_methods WHERE account_id = $1 AND id = $2',
      [accountId, id],
    );
    return rows[0] && toCard(rows[0]);
  },

  /** The account a stored card belongs to (for Stripe webhooks, which name the card only). */
  async accountOf(db: Queryable, id: string): Promise<string | undefined> {
    const { rows } = await db.query<{ account_id: string }>('SELECT account_id FROM payment_methods WHERE id = $1', [
      id,
    ]);
    return rows[0]?.account_id;
  },

  /** Stores the card and makes it the account's only default. */
  async saveAsDefault(db: Queryable, accountId: string, card: CardSummary, now: Date): Promise<void> {
    await db.query(
      'UPDATE payment_methods SET is_default = false, updated_at = $2 WHERE account_id = $1 AND is_default AND id <> $3',
      [accountId, now, card.id],
    );
    await db.query(
      `INSERT INTO payment_methods (id, account_id, brand, last4, exp_month, exp_year, is_default, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, true, $7, $7)
       ON CONFLICT (id) DO UPDATE SET brand = EXCLUDED.brand, last4 = EXCLUDED.last4, exp_month = EXCLUDED.exp_month,
         exp_year = EXCLUDED.exp_year, is_default = true, updated_at = EXCLUDED.updated_at
       WHERE payment_methods.account_id = EXCLUDED.account_id`,
      [card.id, accountId, card.brand, card.last4, card.expMonth, card.expYear, now],
    );
  },

  /** Refreshes brand, last 4 and expiry (Stripe updated the card); returns false when nothing changed. */
  async updateDetails(db: Queryable, accountId: string, card: CardSummary, now: Date): Promise<boolean> {
    const { rowCount } = await db.query(
      `UPDATE payment_methods SET brand = $3, last4 = $4, exp_month = $5, exp_year = $6, updated_at = $7
       WHERE account_id = $1 AND id = $2 AND (brand, last4, exp_month, exp_year) IS DISTINCT FROM ($3, $4, $5, $6)`,
      [accountId, card.id, card.brand, card.last4, card.expMonth, card.expYear, now],
    );
    return rowCount === 1;
  },

  async remove(db: Queryable, accountId: string, id: string): Promise<boolean> {
    const { rowCount } = await db.query('DELETE FROM payment_methods WHERE account_id = $1 AND id = $2', [
      accountId,
      id,
    ]);
    return rowCount === 1;
  },
};
