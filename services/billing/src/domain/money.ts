/**
 * Money is an integer number of minor units (cents for `usd`) with its ISO 4217 currency code in lower case.
 * Amounts are JavaScript integers (safe up to 2^53, i.e. ~90 trillion dollars); arithmetic that multiplies
 * amounts by durations is done in BigInt (see proration.ts).
 */
export interface Money {
  amount: number;
  currency: string;
}

export const isCurrency = (value: string) => /^[a-z]{3}$/.test(value);

/** Minor units per major unit for a currency: 100 for usd, 1 for jpy. */
export function minorUnitDigits(currency: string): number {
  return (
    new Intl.NumberFormat('en-US', { style: 'currency', currency: currency.toUpperCase() }).resolvedOptions()
      .maximumFractionDigits ?? 2
  );
}

/** `$97.00`, `-$12.34`: for people (invoices, PDFs, descriptions), never for arithmetic. */
export function formatMoney(amount: number, currency: string): string {
  const digits = minorUnitDigits(currency);
  const format = new Intl.NumberFormat('en-US', {
    style: 'currency',
    currency: currency.toUpperCase(),
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
  // Exact: split the integer amount into major and minor parts as text instead of dividing a float.
  const negative = amount < 0;
  const text = String(Math.abs(amount)).padStart(digits + 1, '0');
  const major = text.slice(0, text.length - digits);
  const minor = digits > 0 ? `.${text.slice(-digits)}` : '';
  return format.format(Number(`${negative ? '-' : ''}${major}${minor}`));
}
