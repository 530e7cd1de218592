import { plansRepository } from '../adapters/plans.repository';
import { validatePlan, type Plan } from '../domain/plan';
import type { BillingDeps } from '../deps';

/**
 * Operators add a plan or edit one. A new price applies to subscriptions on the plan from their next renewal
 * (the current period keeps the price it was billed at, which is what proration credits).
 */
export async function savePlan(deps: BillingDeps, input: { plan: Plan }): Promise<{ plan: Plan; created: boolean }> {
  const plan = validatePlan(input.plan);
  const created = await plansRepository.save(deps.db.pool, plan, deps.now());
  return { plan, created };
}
