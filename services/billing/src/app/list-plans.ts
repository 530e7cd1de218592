import { plansRepository } from '../adapters/plans.repository';
import type { BillingDeps } from '../deps';

/** The catalogue, cheapest first; retired plans only when asked (operators). */
export const listPlans = (deps: BillingDeps, input: { includeInactive: boolean }) =>
  plansRepository.list(deps.db.pool, { includeInactive: input.includeInactive });
