import type { Queryable } from '@crm/platform/pg';
import { plansRepository } from '../adapters/plans.repository';
import type { BillingInterval } from '../domain/periods';
import { priceOf, type Plan } from '../domain/plan';
import type { PlanPrice } from '../domain/proration';

/** The catalogue as a use case needs it within one transaction: prices by plan and interval, names for lines. */
export interface Catalogue {
  price(planId: string, interval: BillingInterval, options?: { allowInactive?: boolean }): PlanPrice;
  planName(planId: string): string;
  plans: Plan[];
}

export async function loadCatalogue(db: Queryable): Promise<Catalogue> {
  const plans = await plansRepository.list(db, { includeInactive: true });
  const byId = new Map(plans.map((plan) => [plan.id, plan]));
  return {
    plans,
    price: (planId, interval, options) => priceOf(byId.get(planId), planId, interval, options),
    planName: (planId) => byId.get(planId)?.name ?? planId,
  };
}
