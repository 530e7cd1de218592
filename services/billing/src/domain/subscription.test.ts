import { addIntervals } from './periods';
import type { PlanPrice } from './proration';
import { applyImmediateChange, nextPeriod, openSubscription, quotePlanChange, type Subscription } from './subscription';

const DAY = 86_400_000;
const prices: Record<string, PlanPrice> = {
  'starter/month': { planId: 'starter', interval: 'month', amount: 9700, currency: 'usd' },
  'starter/year': { planId: 'starter', interval: 'year', amount: 97000, currency: 'usd' },
  'unlimited/month': { planId: 'unlimited', interval: 'month', amount: 29700, currency: 'usd' },
  'pro/month': { planId: 'pro', interval: 'month', amount: 49700, currency: 'usd' },
};
const priceFor = (planId: string, interval: string) => prices[`${planId}/${interval}`] as PlanPrice;

function anActiveSubscription(overrides: Partial<Subscription> = {}): Subscription {
  const anchor = new Date('2026-03-01T00:00:00Z');
  return {
    accountId: '00000000-0000-4000-8000-000000000001',
    planId: 'unlimited',
    interval: 'month',
    price: 29700,
    currency: 'usd',
    status: 'active',
    trialEndsAt: new Date('2026-03-01T00:00:00Z'),
    anchor,
    cycle: 0,
    currentPeriodStart: anchor,
    currentPeriodEnd: addIntervals(anchor, 'month', 1),
    pendingChange: undefined,
    createdAt: new Date('2026-02-15T00:00:00Z'),
    ...overrides,
  };
}

describe('openSubscription', () => {
  it('starts a trial of the given length, whole seconds', () => {
    const subscription = openSubscription({
      accountId: 'a',
      price: priceFor('starter', 'month'),
      trialLength: 14 * DAY,
      now: new Date('2026-03-01T10:00:00.750Z'),
    });
    expect(subscription).toMatchObject({
      status: 'trialing',
      trialEndsAt: new Date('2026-03-15T10:00:00Z'),
      currentPeriodEnd: new Date('2026-03-15T10:00:00Z'),
      price: 9700,
    });
  });

  it('with no trial, is due at once', () => {
    const subscription = openSubscription({
      accountId: 'a',
      price: priceFor('starter', 'month'),
      trialLength: 0,
      now: new Date('2026-03-01T10:00:00Z'),
    });
    expect(subscription.currentPeriodEnd).toEqual(new Date('2026-03-01T10:00:00Z'));
  });
});

describe('nextPeriod', () => {
  it('bills the first month from the end of the trial', () => {
    const trial = openSubscription({
      accountId: 'a',
      price: priceFor('starter', 'month'),
      trialLength: 14 * DAY,
      now: new Date('2026-01-17T00:00:00Z'),
    });
    const { subscription } = nextPeriod(trial, priceFor);
    expect(subscription).toMatchObject({
      status: 'active',
      anchor: new Date('2026-01-31T00:00:00Z'),
      currentPeriodStart: new Date('2026-01-31T00:00:00Z'),
      currentPeriodEnd: new Date('2026-02-28T00:00:00Z'),
    });
    expect(nextPeriod(subscription, priceFor).subscription.currentPeriodEnd).toEqual(new Date('2026-03-31T00:00:00Z'));
  });

  it('applies a pending downgrade exactly at the period end, at the new plan’s price', () => {
    const subscription = anActiveSubscription({
      pendingChange: { planId: 'starter', interval: 'month', requestedAt: new Date('2026-03-10T00:00:00Z') },
    });
    const { subscription: next, appliedChange } = nextPeriod(subscription, priceFor);
    expect(appliedChange?.planId).toBe('starter');
    expect(next).toMatchObject({
      planId: 'starter',
      price: 9700,
      currentPeriodStart: new Date('2026-04-01T00:00:00Z'),
      currentPeriodEnd: new Date('2026-05-01T00:00:00Z'),
      pendingChange: undefined,
    });
  });
});

describe('quotePlanChange', () => {
  it('schedules a downgrade for the period end with nothing due now', () => {
    const quote = quotePlanChange(
      anActiveSubscription(),
      priceFor('starter', 'month'),
      new Date('2026-03-10T00:00:00Z'),
    );
    expect(quote).toMatchObject({
      kind: 'downgrade',
      immediate: false,
      effectiveAt: new Date('2026-04-01T00:00:00Z'),
      amountDueNow: 0,
      lines: [],
    });
    expect(quote.nextInvoice).toMatchObject({
      date: new Date('2026-04-01T00:00:00Z'),
      amount: 9700,
      planId: 'starter',
    });
  });

  it('applies any change at once and free during the trial', () => {
    const trial = openSubscription({
      accountId: 'a',
      price: priceFor('starter', 'month'),
      trialLength: 14 * DAY,
      now: new Date('2026-03-01T00:00:00Z'),
    });
    const quote = quotePlanChange(trial, priceFor('pro', 'month'), new Date('2026-03-05T00:00:00Z'));
    expect(quote).toMatchObject({ kind: 'upgrade', immediate: true, amountDueNow: 0, lines: [] });
    expect(applyImmediateChange(trial, priceFor('pro', 'month'), quote)).toMatchObject({
      planId: 'pro',
      price: 49700,
      status: 'trialing',
      currentPeriodEnd: new Date('2026-03-15T00:00:00Z'),
    });
  });

  it('upgrades into the same period, keeping its end', () => {
    const subscription = anActiveSubscription({ planId: 'starter', price: 9700 });
    const quote = quotePlanChange(subscription, priceFor('pro', 'month'), new Date('2026-03-16T12:00:00Z'));
    const upgraded = applyImmediateChange(subscription, priceFor('pro', 'month'), quote);
    expect(upgraded).toMatchObject({
      planId: 'pro',
      price: 49700,
      currentPeriodStart: new Date('2026-03-01T00:00:00Z'),
      currentPeriodEnd: new Date('2026-04-01T00:00:00Z'),
    });
  });
});
