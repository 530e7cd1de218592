import type { Queryable } from '@crm/platform/pg';
import type { Account, AccountStatus } from '../domain/account';

interface AccountRow {
  id: string;
  slug: string;
  name: string;
  timezone: string;
  status: AccountStatus;
  owner: Account['owner'];
  plan_id: string;
  billing_interval: Account['interval'];
  trial_days: number;
  owner_user_id: string;
  owner_invitation_id: string;
  created_at: Date;
  updated_at: Date;
}

const columns =
  'id, slug, name, timezone, status, owner, plan_id, billing_interval, trial_days, created_at, updated_at, owner_user_id, owner_invitation_id';

const toAccount = (row: AccountRow): Account => ({
  id: row.id,
  slug: row.slug,
  name: row.name,
  timezone: row.timezone,
  status: row.status,
  owner: row.owner,
  planId: row.plan_id,
  interval: row.billing_interval,
  trialDays: row.trial_days,
  ownerUserId: row.owner_user_id,
  ownerInvitationId: row.owner_invitation_id,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

export const accountsRepository = {
  async insert(db: Queryable, account: Account, creationKey: string | undefined): Promise<void> {
    await db.query(
      `INSERT INTO accounts (${columns}, creation_key) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
      [
        account.id,
        account.slug,
        account.name,
        account.timezone,
        account.status,
        account.owner,
        account.planId,
        account.interval,
        account.trialDays,
        account.createdAt,
        account.updatedAt,
        account.ownerUserId,
        account.ownerInvitationId,
        creationKey ?? null,
      ],
    );
  },

  async findById(db: Queryable, id: string): Promise<Account | undefined> {
    const { rows } = await db.query<AccountRow>(`SELECT ${columns} FROM accounts WHERE id = $1`, [id]);
    return rows[0] && toAccount(rows[0]);
  },

  async findByCreationKey(db: Queryable, creationKey: string): Promise<Account | undefined> {
    const { rows } = await db.query<AccountRow>(`SELECT ${columns} FROM accounts WHERE creation_key = $1`, [creationKey]);
    return rows[0] && toAccount(rows[0]);
  },

  async slugsStartingWith(db: Queryable, base: string): Promise<Set<string>> {
    const { rows } = await db.query<{ slug: string }>(`SELECT slug FROM accounts WHERE slug = $1 OR slug LIKE $2`, [
      base,
      `${base}-%`,
    ]);
    return new Set(rows.map((row) => row.slug));
  },

  async lockById(db: Queryable, id: string): Promise<Account | undefined> {
    const { rows } = await db.query<AccountRow>(`SELECT ${columns} FROM accounts WHERE id = $1 FOR UPDATE`, [id]);
    return rows[0] && toAccount(rows[0]);
  },

  async updateStatus(db: Queryable, id: string, status: AccountStatus, now: Date): Promise<void> {
    await db.query('UPDATE accounts SET status = $2, updated_at = $3 WHERE id = $1', [id, status, now]);
  },
};
