import { DomainError, validationError, type FieldError } from '@crm/platform/errors';
import { isCurrency } from './money';
import type { BillingInterval } from './periods';
import type { PlanPrice } from './proration';

/** A plan of the catalogue with its price per interval (PRODUCT.md §5). */
export interface Plan {
  id: string;
  name: string;
  description: string;
  currency: string;
  /** Minor units per month, per year. */
  prices: Record<BillingInterval, number>;
  active: boolean;
  sortOrder: number;
}

export const PLAN_ID = /^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/;

/** The price of `planId` billed per `interval`; `billing.plan_not_found` for an unknown or retired plan. */
export function priceOf(
  plan: Plan | undefined,
  planId: string,
  interval: BillingInterval,
  options: { allowInactive?: boolean } = {},
): PlanPrice {
  if (!plan || (!plan.active && !options.allowInactive)) {
    throw new DomainError(
      'billing.plan_not_found',
      { planId, interval },
      {
        message: `there is no plan "${planId}"`,
        fieldErrors: [{ field: 'planId', message: `unknown plan "${planId}"`, code: 'unknown' }],
      },
    );
  }
  return { planId: plan.id, interval, amount: plan.prices[interval], currency: plan.currency };
}

/** Validates a plan an operator adds or edits; every problem becomes a field error of one 422. */
export function validatePlan(plan: Plan): Plan {
  const errors: FieldError[] = [];
  const name = plan.name.trim();
  if (!PLAN_ID.test(plan.id))
    errors.push({
      field: 'id',
      message: 'id must be a slug of 1–40 lowercase letters, digits or dashes',
      code: 'invalid_format',
    });
  if (name.length < 2 || name.length > 60)
    errors.push({ field: 'name', message: 'name must be 2 to 60 characters', code: 'length' });
  if (plan.description.length > 500)
    errors.push({ field: 'description', message: 'description must be at most 500 characters', code: 'length' });
  if (!isCurrency(plan.currency))
    errors.push({
      field: 'currency',
      message: 'currency must be a lower-case ISO 4217 code such as "usd"',
      code: 'invalid_format',
    });
  for (const interval of ['month', 'year'] as const) {
    const amount = plan.prices[interval];
    if (!Number.isSafeInteger(amount) || amount <= 0) {
      errors.push({
        field: `prices.${interval}`,
        message: `the ${interval}ly price must be a positive whole number of minor units (cents)`,
        code: 'out_of_range',
      });
    }
  }
  if (errors.length > 0) throw validationError(errors);
  return { ...plan, name, description: plan.description.trim() };
}
