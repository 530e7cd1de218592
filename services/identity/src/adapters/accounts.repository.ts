import type { Queryable } from '@crm/platform/pg';
import type { AccountStatus } from '../domain/user';

export interface RegisteredAccount {
  id: string;
  slug: string;
  name: string;
  timezone: string;
  ownerEmail: string;
  registeredAt: Date;
}

export interface IdentityAccount {
  id: string;
  slug: string;
  name: string;
  timezone: string;
  status: AccountStatus;
  ownerUserId: string | null;
}

const columns = 'id, slug, name, timezone, status, owner_user_id AS "ownerUserId"';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const accountsRepository = {
  /** Records the account; returns false (changing nothing) when it was already recorded. */
  async register(db: Queryable, account: RegisteredAccount): Promise<boolean> {
    const { rowCount } = await db.query(
      `INSERT INTO accounts (id, slug, name, timezone, owner_email, registered_at) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (id) DO NOTHING`,
      [account.id, account.slug, account.name, account.timezone, account.ownerEmail, account.registeredAt],
    );
    return rowCount === 1;
  },

  /** When identity recorded the account, or undefined if it has not (yet). */
  async registeredAt(db: Queryable, id: string): Promise<Date | undefined> {
    const { rows } = await db.query<{ registered_at: Date }>('SELECT registered_at FROM accounts WHERE id = $1', [id]);
    return rows[0]?.registered_at;
  },

  async findById(db: Queryable, id: string): Promise<IdentityAccount | undefined> {
    if (!UUID.test(id)) return undefined;
    const { rows } = await db.query<IdentityAccount>(`SELECT ${columns} FROM accounts WHERE id = $1`, [id]);
    return rows[0];
  },

  /** By slug, or by id: what a person types on the login form. */
  async findBySlugOrId(db: Queryable, slugOrId: string): Promise<IdentityAccount | undefined> {
    const key = slugOrId.trim().toLowerCase();
    if (UUID.test(key)) return this.findById(db, key);
    const { rows } = await db.query<IdentityAccount>(`SELECT ${columns} FROM accounts WHERE slug = $1`, [key]);
    return rows[0];
  },

  async setStatus(db: Queryable, id: string, status: AccountStatus): Promise<void> {
    await db.query('UPDATE accounts SET status = $2 WHERE id = $1', [id, status]);
  },

  async setOwner(db: Queryable, id: string, ownerUserId: string): Promise<void> {
    await db.query('UPDATE accounts SET owner_user_id = $2 WHERE id = $1', [id, ownerUserId]);
  },
};
