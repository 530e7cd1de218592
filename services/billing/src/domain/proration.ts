import { DomainError } from '@crm/platform/errors';
import { addIntervals, secondsBetween, toWholeSecond, type BillingInterval } from './periods';

/**
 * Proration, to the second, in exact integer arithmetic.
 *
 * An upgrade at instant `t` (truncated to the whole second) in the period [start, end) of the current plan
 * produces exactly two invoice lines:
 *
 *   credit = − round( oldPrice × (end − t) / (end − start) )     unused time of the plan being left
 *   charge = + round( newPrice × (end − t) / (end − start) )     rest of the same period on the new plan
 *
 * When the change also moves from monthly to annual billing, the new plan starts a new period [t, t + 1 year)
 * and the charge is the whole annual price (no division, so nothing to round).
 *
 * Rounding rule: each line is computed from the exact rational value with BigInt and rounded ONCE, to the
 * nearest minor unit, halves away from zero (0.5 cent → 1 cent). Lines are never rounded again after summing:
 * the amount due is the plain sum of the rounded lines. Durations are whole seconds; prices are minor units.
 */

export interface PlanPrice {
  planId: string;
  interval: BillingInterval;
  /** Minor units per period. */
  amount: number;
  currency: string;
}

/** What the subscription is on now, and the period it has paid for. */
export interface CurrentTerm extends PlanPrice {
  periodStart: Date;
  periodEnd: Date;
}

export type PlanChangeKind = 'upgrade' | 'downgrade';

export interface ProrationLine {
  kind: 'proration_credit' | 'proration_charge';
  planId: string;
  interval: BillingInterval;
  /** Signed minor units: the credit is negative. */
  amount: number;
  periodStart: Date;
  periodEnd: Date;
}

export interface Proration {
  /** The instant the change takes effect (whole second). */
  effectiveAt: Date;
  lines: [ProrationLine, ProrationLine];
  /** credit + charge. */
  amountDue: number;
  /** The period the subscription is in after the upgrade. */
  newPeriodStart: Date;
  newPeriodEnd: Date;
}

/** `numerator / denominator` rounded to the nearest integer, halves away from zero (denominator > 0). */
export function divideRoundHalfUp(numerator: bigint, denominator: bigint): bigint {
  if (denominator <= 0n) throw new RangeError('denominator must be positive');
  const sign = numerator < 0n ? -1n : 1n;
  const magnitude = numerator * sign;
  return sign * ((2n * magnitude + denominator) / (2n * denominator));
}

const toSafeNumber = (value: bigint): number => {
  if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < -BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new RangeError(`amount ${value} is beyond what billing can represent`);
  }
  return Number(value);
};

/**
 * Upgrade or downgrade (PRODUCT.md §5):
 * - same interval: an upgrade when the new price is higher (a higher price per day), a downgrade when lower or equal;
 * - monthly → annual: an upgrade (it starts a new annual period now), provided the annual price covers the
 *   credit it could receive (at most one monthly price); an annual price below the current monthly price is a
 *   downgrade, scheduled for period end, so an upgrade never has a negative amount due;
 * - annual → monthly: a downgrade.
 * Throws `billing.same_plan` when nothing would change.
 */
export function classifyPlanChange(current: PlanPrice, target: PlanPrice): PlanChangeKind {
  if (current.planId === target.planId && current.interval === target.interval) {
    throw new DomainError(
      'billing.same_plan',
      { planId: target.planId, interval: target.interval },
      { message: `the subscription is already on ${target.planId} (${target.interval}ly)` },
    );
  }
  if (current.currency !== target.currency) {
    throw new DomainError(
      'resource.conflict',
      { from: current.currency, to: target.currency },
      { message: `a plan billed in ${target.currency} cannot replace one billed in ${current.currency}` },
    );
  }
  if (current.interval === target.interval) return target.amount > current.amount ? 'upgrade' : 'downgrade';
  if (current.interval === 'month') return target.amount >= current.amount ? 'upgrade' : 'downgrade';
  return 'downgrade';
}

/** The two lines of an upgrade at `at` (see the rule at the top of this file). */
export function prorateUpgrade(current: CurrentTerm, target: PlanPrice, at: Date): Proration {
  const effectiveAt = toWholeSecond(at);
  const periodSeconds = secondsBetween(current.periodStart, current.periodEnd);
  const remainingSeconds = secondsBetween(effectiveAt, current.periodEnd);
  if (periodSeconds <= 0n) throw new RangeError('the current period is empty');
  if (remainingSeconds <= 0n || remainingSeconds > periodSeconds) {
    throw new DomainError(
      'resource.conflict',
      {
        at: effectiveAt.toISOString(),
        periodStart: current.periodStart.toISOString(),
        periodEnd: current.periodEnd.toISOString(),
      },
      { message: 'the plan change falls outside the current billing period' },
    );
  }
  const credit = -divideRoundHalfUp(BigInt(current.amount) * remainingSeconds, periodSeconds);
  const startsNewPeriod = current.interval === 'month' && target.interval === 'year';
  const newPeriodStart = startsNewPeriod ? effectiveAt : current.periodStart;
  const newPeriodEnd = startsNewPeriod ? addIntervals(effectiveAt, 'year', 1) : current.periodEnd;
  const charge = startsNewPeriod
    ? BigInt(target.amount)
    : divideRoundHalfUp(BigInt(target.amount) * remainingSeconds, periodSeconds);
  return {
    effectiveAt,
    lines: [
      {
        kind: 'proration_credit',
        planId: current.planId,
        interval: current.interval,
        amount: toSafeNumber(credit),
        periodStart: effectiveAt,
        periodEnd: current.periodEnd,
      },
      {
        kind: 'proration_charge',
        planId: target.planId,
        interval: target.interval,
        amount: toSafeNumber(charge),
        periodStart: effectiveAt,
        periodEnd: newPeriodEnd,
      },
    ],
    amountDue: toSafeNumber(credit + charge),
    newPeriodStart,
    newPeriodEnd,
  };
}
