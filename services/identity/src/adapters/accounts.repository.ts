import type { Queryable } from '@crm/platform/pg';

export interface RegisteredAccount {
  id: string;
  slug: string;
  name: string;
  timezone: string;
  ownerEmail: string;
  registeredAt: Date;
}

export const accountsRepository = {
  /** Records the account; a second registration of the same id changes nothing. */
  async register(db: Queryable, account: RegisteredAccount): Promise<void> {
    await db.query(
      `INSERT INTO accounts (id, slug, name, timezone, owner_email, registered_at) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (id) DO NOTHING`,
      [account.id, account.slug, account.name, account.timezone, account.ownerEmail, account.registeredAt],
    );
  },

  /** When identity recorded the account, or undefined if it has not (yet). */
  async registeredAt(db: Queryable, id: string): Promise<Date | undefined> {
    const { rows } = await db.query<{ registered_at: Date }>('SELECT registered_at FROM accounts WHERE id = $1', [id]);
    return rows[0]?.registered_at;
  },
};
