import type { BillingInterval } from '../domain/periods';
import type { BillingDeps } from '../deps';
import { priceQuote } from './plan-change-quote';

/** What changing to `planId`/`interval` now would do: kind, effective date, the exact lines invoiced now, next invoice. */
export async function previewPlanChange(
  deps: BillingDeps,
  input: { accountId: string; planId: string; interval: BillingInterval },
) {
  const at = deps.now();
  const { quote, lines } = await priceQuote(deps.db.pool, { ...input, at, lock: false });
  return {
    kind: quote.kind,
    effectiveAt: quote.effectiveAt,
    lines,
    amountDueNow: quote.amountDueNow,
    currency: quote.currency,
    nextInvoice: quote.nextInvoice,
    prorationDate:
      quote.immediate && quote.lines.length > 0 ? quote.effectiveAt : new Date(Math.floor(at.getTime() / 1000) * 1000),
  };
}
