import { DomainError } from '@crm/platform/errors';
import { addIntervals, toWholeSecond, type BillingInterval } from './periods';
import {
  classifyPlanChange,
  prorateUpgrade,
  type PlanChangeKind,
  type PlanPrice,
  type ProrationLine,
} from './proration';

export type SubscriptionStatus = 'trialing' | 'active' | 'past_due' | 'canceled';

export interface PendingChange {
  planId: string;
  interval: BillingInterval;
  requestedAt: Date;
}

/**
 * One per account. During the trial the current period is the trial itself. After it, periods are counted from
 * `anchor`: period `cycle` is [anchor + cycle intervals, anchor + (cycle + 1) intervals). An interval change
 * re-anchors the subscription.
 */
export interface Subscription {
  accountId: string;
  planId: string;
  interval: BillingInterval;
  /** What the current period was billed at, in minor units (credits are computed from it). */
  price: number;
  currency: string;
  status: SubscriptionStatus;
  trialEndsAt: Date | undefined;
  anchor: Date;
  cycle: number;
  currentPeriodStart: Date;
  currentPeriodEnd: Date;
  pendingChange: PendingChange | undefined;
  createdAt: Date;
}

/** A new subscription: a trial of `trialLength` ms (0 = none, the first period is due at once). */
export function openSubscription(input: {
  accountId: string;
  price: PlanPrice;
  trialLength: number;
  now: Date;
}): Subscription {
  const start = toWholeSecond(input.now);
  const trialEndsAt = new Date(start.getTime() + Math.max(0, Math.round(input.trialLength / 1000)) * 1000);
  return {
    accountId: input.accountId,
    planId: input.price.planId,
    interval: input.price.interval,
    price: input.price.amount,
    currency: input.price.currency,
    status: 'trialing',
    trialEndsAt: input.trialLength > 0 ? trialEndsAt : start,
    anchor: trialEndsAt,
    cycle: -1,
    currentPeriodStart: start,
    currentPeriodEnd: trialEndsAt,
    pendingChange: undefined,
    createdAt: start,
  };
}

/** When the workflow must next bill: the trial's end or the current period's end. */
export const renewsAt = (subscription: Subscription): Date => subscription.currentPeriodEnd;

/**
 * The subscription for the period that starts when the current one ends: the pending change applied (re-anchored
 * on that instant when the interval changes), the plan's current catalogue price, status `active` until the
 * charge says otherwise. `priceFor` reads the catalogue.
 */
export function nextPeriod(
  subscription: Subscription,
  priceFor: (planId: string, interval: BillingInterval) => PlanPrice,
): {
  subscription: Subscription;
  appliedChange: PendingChange | undefined;
} {
  const boundary = subscription.currentPeriodEnd;
  const change = subscription.pendingChange;
  const planId = change?.planId ?? subscription.planId;
  const interval = change?.interval ?? subscription.interval;
  const reanchor = subscription.status === 'trialing' || interval !== subscription.interval;
  const anchor = reanchor ? boundary : subscription.anchor;
  const cycle = reanchor ? 0 : subscription.cycle + 1;
  const price = priceFor(planId, interval);
  return {
    appliedChange: change,
    subscription: {
      ...subscription,
      planId,
      interval,
      price: price.amount,
      currency: price.currency,
      status: subscription.status === 'past_due' ? 'past_due' : 'active',
      anchor,
      cycle,
      currentPeriodStart: boundary,
      currentPeriodEnd: addIntervals(anchor, interval, cycle + 1),
      pendingChange: undefined,
    },
  };
}

export interface PlanChangeQuote {
  kind: PlanChangeKind;
  /** `now` for an upgrade (and any change during the trial), the period end for a downgrade. */
  effectiveAt: Date;
  /** The lines invoiced now: the proration of an upgrade; none otherwise. */
  lines: ProrationLine[];
  amountDueNow: number;
  currency: string;
  /** When it applies immediately: the subscription's period afterwards. */
  newPeriod: { start: Date; end: Date } | undefined;
  /** The invoice after this change. */
  nextInvoice: { date: Date; amount: number; currency: string; planId: string; interval: BillingInterval };
  /** True when it applies at once (upgrades, and any change during the trial). */
  immediate: boolean;
}

/**
 * What changing to `target` at `at` means (PRODUCT.md §5): during the trial any change applies at once and costs
 * nothing now; afterwards an upgrade is prorated and charged now, a downgrade waits for the end of the period.
 */
export function quotePlanChange(subscription: Subscription, target: PlanPrice, at: Date): PlanChangeQuote {
  if (subscription.status === 'canceled') {
    throw new DomainError('resource.conflict', { status: 'canceled' }, { message: 'the subscription is canceled' });
  }
  const kind = classifyPlanChange(
    {
      planId: subscription.planId,
      interval: subscription.interval,
      amount: subscription.price,
      currency: subscription.currency,
    },
    target,
  );
  const nextInvoiceOf = (date: Date) => ({
    date,
    amount: target.amount,
    currency: target.currency,
    planId: target.planId,
    interval: target.interval,
  });
  if (subscription.status === 'trialing') {
    return {
      kind,
      effectiveAt: toWholeSecond(at),
      lines: [],
      amountDueNow: 0,
      currency: target.currency,
      newPeriod: { start: subscription.currentPeriodStart, end: subscription.currentPeriodEnd },
      nextInvoice: nextInvoiceOf(subscription.currentPeriodEnd),
      immediate: true,
    };
  }
  if (kind === 'downgrade') {
    return {
      kind,
      effectiveAt: subscription.currentPeriodEnd,
      lines: [],
      amountDueNow: 0,
      currency: target.currency,
      newPeriod: undefined,
      nextInvoice: nextInvoiceOf(subscription.currentPeriodEnd),
      immediate: false,
    };
  }
  const proration = prorateUpgrade(
    {
      planId: subscription.planId,
      interval: subscription.interval,
      amount: subscription.price,
      currency: subscription.currency,
      periodStart: subscription.currentPeriodStart,
      periodEnd: subscription.currentPeriodEnd,
    },
    target,
    at,
  );
  return {
    kind,
    effectiveAt: proration.effectiveAt,
    lines: proration.lines,
    amountDueNow: proration.amountDue,
    currency: target.currency,
    newPeriod: { start: proration.newPeriodStart, end: proration.newPeriodEnd },
    nextInvoice: nextInvoiceOf(proration.newPeriodEnd),
    immediate: true,
  };
}

/** The subscription once an immediate change (upgrade, or any change in trial) is paid for. */
export function applyImmediateChange(
  subscription: Subscription,
  target: PlanPrice,
  quote: PlanChangeQuote,
): Subscription {
  if (!quote.immediate || !quote.newPeriod) throw new Error('applyImmediateChange needs an immediate quote');
  const reanchored = subscription.status !== 'trialing' && target.interval !== subscription.interval;
  return {
    ...subscription,
    planId: target.planId,
    interval: target.interval,
    price: target.amount,
    currency: target.currency,
    anchor: reanchored ? quote.newPeriod.start : subscription.anchor,
    cycle: reanchored ? 0 : subscription.cycle,
    currentPeriodStart: quote.newPeriod.start,
    currentPeriodEnd: quote.newPeriod.end,
    pendingChange: undefined,
  };
}
