import type { Queryable } from '@crm/platform/pg';
import type { Plan } from '../domain/plan';

interface PlanRow {
  id: string;
  name: string;
  description: string;
  currency: string;
  month_amount: string;
  year_amount: string;
  active: boolean;
  sort_order: number;
}

const toPlan = (row: PlanRow): Plan => ({
  id: row.id,
  name: row.name,
  description: row.description,
  currency: row.currency,
  prices: { month: Number(row.month_amount), year: Number(row.year_amount) },
  active: row.active,
  sortOrder: row.sort_order,
});

const columns = 'id, name, description, currency, month_amount, year_amount, active, sort_order';

/** The plan catalogue (not per account: plans are the platform's). */
export const plansRepository = {
  async list(db: Queryable, options: { includeInactive?: boolean } = {}): Promise<Plan[]> {
    const { rows } = await db.query<PlanRow>(
      `SELECT ${columns} FROM plans ${options.includeInactive ? '' : 'WHERE active'} ORDER BY sort_order, id`,
    );
    return rows.map(toPlan);
  },

  async find(db: Queryable, id: string): Promise<Plan | undefined> {
    const { rows } = await db.query<PlanRow>(`SELECT ${columns} FROM plans WHERE id = $1`, [id]);
    return rows[0] && toPlan(rows[0]);
  },

  /** Inserts or updates; returns true when the plan is new. */
  async save(db: Queryable, plan: Plan, now: Date): Promise<boolean> {
    const { rows } = await db.query<{ created: boolean }>(
      `INSERT INTO plans (id, name, description, currency, month_amount, year_amount, active, sort_order, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)
       ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, description = EXCLUDED.description, currency = EXCLUDED.currency,
         month_amount = EXCLUDED.month_amount, year_amount = EXCLUDED.year_amount, active = EXCLUDED.active,
         sort_order = EXCLUDED.sort_order, updated_at = EXCLUDED.updated_at
       RETURNING (xmax = 0) AS created`,
      [
        plan.id,
        plan.name,
        plan.description,
        plan.currency,
        plan.prices.month,
        plan.prices.year,
        plan.active,
        plan.sortOrder,
        now,
      ],
    );
    return rows[0]?.created ?? false;
  },
};
