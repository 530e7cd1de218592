import { DomainError } from '@crm/platform/errors';
import type { Queryable } from '@crm/platform/pg';
import { subscriptionsRepository } from '../adapters/subscriptions.repository';
import { prorationInvoiceLines, type InvoiceLine } from '../domain/invoice';
import type { BillingInterval } from '../domain/periods';
import type { PlanPrice } from '../domain/proration';
import { quotePlanChange, type PlanChangeQuote, type Subscription } from '../domain/subscription';
import { loadCatalogue, type Catalogue } from './catalogue';

export interface PricedQuote {
  subscription: Subscription;
  target: PlanPrice;
  quote: PlanChangeQuote;
  /** The quote's lines as the invoice will carry them, descriptions included. */
  lines: InvoiceLine[];
  catalogue: Catalogue;
}

/**
 * The quote of a plan change at `at`, shared by the preview and the change itself so that both produce the very
 * same lines. `lock` takes the subscription's row lock (inside a transaction).
 */
export async function priceQuote(
  db: Queryable,
  input: { accountId: string; planId: string; interval: BillingInterval; at: Date; lock: boolean },
): Promise<PricedQuote> {
  const subscription = input.lock
    ? await subscriptionsRepository.lock(db, input.accountId)
    : await subscriptionsRepository.find(db, input.accountId);
  if (!subscription)
    throw new DomainError(
      'resource.not_found',
      { accountId: input.accountId },
      { message: 'the account has no subscription' },
    );
  const catalogue = await loadCatalogue(db);
  const target = catalogue.price(input.planId, input.interval);
  const quote = quotePlanChange(subscription, target, input.at);
  return {
    subscription,
    target,
    quote,
    lines: prorationInvoiceLines(quote.lines, catalogue.planName),
    catalogue,
  };
}

/**
 * The instant to prorate at: now, or the preview's `prorationDate` when it is recent enough (at most
 * BILLING_PRORATION_DATE_MAX_AGE old, not in the future).
 */
export function prorationInstant(prorationDate: string | undefined, now: Date, maxAge: number): Date {
  if (prorationDate === undefined) return now;
  const at = new Date(prorationDate);
  const age = now.getTime() - at.getTime();
  if (Number.isNaN(at.getTime()) || age < -1000 || age > maxAge) {
    throw new DomainError(
      'validation.failed',
      { prorationDate },
      {
        message: 'prorationDate must be a recent preview\u2019s proration date; preview again',
        fieldErrors: [
          {
            field: 'prorationDate',
            message: 'prorationDate is too old or in the future: preview again',
            code: 'out_of_range',
          },
        ],
      },
    );
  }
  return at;
}
