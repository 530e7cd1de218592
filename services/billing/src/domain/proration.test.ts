import fc from 'fast-check';
import { addIntervals, type BillingInterval } from './periods';
import { classifyPlanChange, divideRoundHalfUp, prorateUpgrade, type CurrentTerm, type PlanPrice } from './proration';

const at = (iso: string) => new Date(iso);
const price = (planId: string, interval: BillingInterval, amount: number): PlanPrice => ({
  planId,
  interval,
  amount,
  currency: 'usd',
});
const term = (planId: string, interval: BillingInterval, amount: number, start: string): CurrentTerm => ({
  ...price(planId, interval, amount),
  periodStart: at(start),
  periodEnd: addIntervals(at(start), interval, 1),
});

describe('divideRoundHalfUp', () => {
  it('rounds to the nearest integer with halves away from zero', () => {
    expect([
      divideRoundHalfUp(5n, 2n),
      divideRoundHalfUp(7n, 3n),
      divideRoundHalfUp(8n, 3n),
      divideRoundHalfUp(-5n, 2n),
    ]).toEqual([3n, 2n, 3n, -3n]);
  });
});

describe('prorateUpgrade', () => {
  it('credits the unused half of Starter and charges half of Unlimited, exactly, at the middle of a 30-day month', () => {
    // April 2026 has 30 days = 2,592,000 s; at 16 April 00:00 there are 15 days = 1,296,000 s left.
    const proration = prorateUpgrade(
      term('starter', 'month', 9700, '2026-04-01T00:00:00Z'),
      price('unlimited', 'month', 29700),
      at('2026-04-16T00:00:00Z'),
    );

    expect(proration.lines.map((line) => [line.kind, line.planId, line.amount])).toEqual([
      ['proration_credit', 'starter', -4850],
      ['proration_charge', 'unlimited', 14850],
    ]);
    expect(proration.amountDue).toBe(10000);
    expect(proration.newPeriodEnd).toEqual(at('2026-05-01T00:00:00Z'));
  });

  it('rounds each line once to the nearest cent, to the second', () => {
    // March 2026: 31 days = 2,678,400 s. At 2026-03-10T07:13:21Z, 1,874,799 s remain.
    // 9700 × 1874799 / 2678400 = 6789.7...: credit −6790; 29700 × 1874799 / 2678400 = 20789.2...: charge 20789.
    const proration = prorateUpgrade(
      term('starter', 'month', 9700, '2026-03-01T00:00:00Z'),
      price('unlimited', 'month', 29700),
      at('2026-03-10T07:13:21.987Z'),
    );

    expect(proration.effectiveAt).toEqual(at('2026-03-10T07:13:21Z'));
    expect(proration.lines.map((line) => line.amount)).toEqual([-6790, 20789]);
    expect(proration.amountDue).toBe(13999);
  });

  it('starts a new annual period now when moving from monthly to annual, charging the whole year', () => {
    const proration = prorateUpgrade(
      term('pro', 'month', 49700, '2026-02-01T00:00:00Z'),
      price('pro', 'year', 497000),
      at('2026-02-15T00:00:00Z'),
    );

    // February 2026: 28 days; 14 days left = half: credit −24850; charge the full year.
    expect(proration.lines.map((line) => [line.kind, line.amount, line.periodEnd.toISOString()])).toEqual([
      ['proration_credit', -24850, '2026-03-01T00:00:00.000Z'],
      ['proration_charge', 497000, '2027-02-15T00:00:00.000Z'],
    ]);
    expect(proration.newPeriodStart).toEqual(at('2026-02-15T00:00:00Z'));
    expect(proration.amountDue).toBe(472150);
  });

  it('refuses an instant outside the current period', () => {
    expect(() =>
      prorateUpgrade(
        term('starter', 'month', 9700, '2026-04-01T00:00:00Z'),
        price('pro', 'month', 49700),
        at('2026-05-01T00:00:00Z'),
      ),
    ).toThrow('outside the current billing period');
  });
});

describe('classifyPlanChange', () => {
  it.each([
    ['starter', 'month', 9700, 'unlimited', 'month', 29700, 'upgrade'],
    ['pro', 'month', 49700, 'starter', 'month', 9700, 'downgrade'],
    ['starter', 'month', 9700, 'starter', 'year', 97000, 'upgrade'],
    ['pro', 'month', 49700, 'starter', 'year', 97000, 'upgrade'],
    ['unlimited', 'year', 297000, 'unlimited', 'month', 29700, 'downgrade'],
    ['starter', 'year', 97000, 'pro', 'month', 49700, 'downgrade'],
  ] as const)(
    '%s/%s (%i¢) → %s/%s (%i¢): %s',
    (fromPlan, fromInterval, fromAmount, toPlan, toInterval, toAmount, expected) => {
      expect(classifyPlanChange(price(fromPlan, fromInterval, fromAmount), price(toPlan, toInterval, toAmount))).toBe(
        expected,
      );
    },
  );

  it('refuses a change to the same plan and interval', () => {
    expect(() => classifyPlanChange(price('pro', 'month', 49700), price('pro', 'month', 49700))).toThrow(
      expect.objectContaining({ code: 'billing.same_plan' }),
    );
  });
});

describe('proration properties', () => {
  const interval = fc.constantFrom<BillingInterval>('month', 'year');
  const amount = fc.integer({ min: 1, max: 10_000_000 });
  // Whole-second period starts between 2020 and 2035, and an offset into the period as a fraction in [0, 1).
  const periodStart = fc
    .integer({ min: Date.UTC(2020, 0, 1) / 1000, max: Date.UTC(2035, 0, 1) / 1000 })
    .map((s) => new Date(s * 1000));
  const fraction = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true });
  const scenario = fc.record({
    fromInterval: interval,
    toInterval: interval,
    fromAmount: amount,
    toAmount: amount,
    start: periodStart,
    fraction,
  });

  const setUp = (s: {
    fromInterval: BillingInterval;
    toInterval: BillingInterval;
    fromAmount: number;
    toAmount: number;
    start: Date;
    fraction: number;
  }) => {
    const current: CurrentTerm = {
      ...price('old', s.fromInterval, s.fromAmount),
      periodStart: s.start,
      periodEnd: addIntervals(s.start, s.fromInterval, 1),
    };
    const span = current.periodEnd.getTime() - current.periodStart.getTime();
    const instant = new Date(current.periodStart.getTime() + Math.floor((s.fraction * span) / 1000) * 1000);
    return { current, target: price('new', s.toInterval, s.toAmount), instant };
  };

  it('makes each line the exact prorated amount rounded once to the nearest cent, and the amount due their sum', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const { current, target, instant } = setUp(s);
        const proration = prorateUpgrade(current, target, instant);
        const period = BigInt((current.periodEnd.getTime() - current.periodStart.getTime()) / 1000);
        const remaining = BigInt((current.periodEnd.getTime() - instant.getTime()) / 1000);
        const [credit, charge] = proration.lines;
        // |line × period − price × remaining| ≤ period / 2, ties rounded away from zero: 2·exact − 2·line ∈ (−period, period].
        const exactCredit = BigInt(current.amount) * remaining;
        expect(2n * exactCredit + 2n * BigInt(credit.amount) * period).toBeGreaterThan(-period);
        expect(2n * exactCredit + 2n * BigInt(credit.amount) * period).toBeLessThanOrEqual(period);
        if (current.interval === 'month' && target.interval === 'year') {
          expect(charge.amount).toBe(target.amount);
        } else {
          const exactCharge = BigInt(target.amount) * remaining;
          expect(2n * BigInt(charge.amount) * period - 2n * exactCharge).toBeGreaterThan(-period);
          expect(2n * BigInt(charge.amount) * period - 2n * exactCharge).toBeLessThanOrEqual(period);
        }
        expect(proration.amountDue).toBe(credit.amount + charge.amount);
      }),
      { numRuns: 2000 },
    );
  });

  it('never gives an upgrade a negative amount due', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const { current, target, instant } = setUp(s);
        fc.pre(classifyPlanChange(current, target) === 'upgrade');
        expect(prorateUpgrade(current, target, instant).amountDue).toBeGreaterThanOrEqual(0);
      }),
      { numRuns: 2000 },
    );
  });

  it('is a pure function of its inputs: the same instant gives the same lines (preview = invoice)', () => {
    fc.assert(
      fc.property(scenario, fc.integer({ min: 0, max: 999 }), (s, milliseconds) => {
        const { current, target, instant } = setUp(s);
        const preview = prorateUpgrade(current, target, instant);
        const applied = prorateUpgrade({ ...current }, { ...target }, new Date(instant.getTime() + milliseconds));
        expect(applied).toEqual(preview);
      }),
      { numRuns: 500 },
    );
  });
});
