/** How often a subscription renews: real calendar months and years, in UTC. */
export type BillingInterval = 'month' | 'year';

export const billingIntervals: readonly BillingInterval[] = ['month', 'year'];

export const isBillingInterval = (value: unknown): value is BillingInterval => value === 'month' || value === 'year';

const daysInMonth = (year: number, month: number) => new Date(Date.UTC(year, month + 1, 0)).getUTCDate();

/**
 * `anchor` plus `count` whole intervals, in UTC, keeping the anchor's day of the month and time of day. When that
 * day does not exist in the target month, the period ends on the month's last day: a subscription anchored on
 * 31 January renews on 28 (or 29) February, then on 31 March. Always computed from the anchor, never from the
 * previous period end, so short months do not make the day drift.
 */
export function addIntervals(anchor: Date, interval: BillingInterval, count: number): Date {
  if (!Number.isInteger(count)) throw new RangeError(`count must be a whole number, got ${count}`);
  const months = anchor.getUTCMonth() + count * (interval === 'month' ? 1 : 12);
  const year = anchor.getUTCFullYear() + Math.floor(months / 12);
  const month = ((months % 12) + 12) % 12;
  const day = Math.min(anchor.getUTCDate(), daysInMonth(year, month));
  return new Date(
    Date.UTC(
      year,
      month,
      day,
      anchor.getUTCHours(),
      anchor.getUTCMinutes(),
      anchor.getUTCSeconds(),
      anchor.getUTCMilliseconds(),
    ),
  );
}

/** Billing works to the second: instants are truncated to whole seconds before they are stored or prorated. */
export const toWholeSecond = (instant: Date): Date => new Date(Math.floor(instant.getTime() / 1000) * 1000);

/** Whole seconds from `from` to `to` (both truncated to the second). */
export const secondsBetween = (from: Date, to: Date): bigint =>
  BigInt(Math.floor(to.getTime() / 1000)) - BigInt(Math.floor(from.getTime() / 1000));
