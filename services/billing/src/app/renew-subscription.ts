import type { RenewalOutcome } from '@crm/workflows/messages';
import { appendToOutbox } from '@crm/platform/messaging';
import { invoicesRepository } from '../adapters/invoices.repository';
import { subscriptionsRepository } from '../adapters/subscriptions.repository';
import { describeLine, type Invoice } from '../domain/invoice';
import { nextPeriod } from '../domain/subscription';
import type { BillingDeps } from '../deps';
import { loadCatalogue } from './catalogue';
import { planChangeApplied, RENEWAL_ACTOR, subscriptionChanged } from './events';
import { issueInvoice } from './issue-invoice';

const outcome = (invoice: Invoice): RenewalOutcome => ({
  renewed: true,
  invoiceId: invoice.id,
  amountDue: invoice.amountDue,
  paid: invoice.status === 'paid',
  periodStart: invoice.periodStart.toISOString(),
  periodEnd: invoice.periodEnd.toISOString(),
});

/**
 * At the end of the trial or of a period (the workflow's timer): opens the next period, applying a pending
 * downgrade exactly there, at the plan's current catalogue price, and issues its invoice. Idempotent: a repeat
 * for the same boundary returns the invoice it made; a boundary the subscription no longer has (a plan change
 * moved the period) is refused with `renewed: false`.
 */
export async function renewSubscription(
  deps: BillingDeps,
  input: { accountId: string; periodEnd: string },
): Promise<RenewalOutcome> {
  const boundary = new Date(input.periodEnd);
  return deps.db.transaction(async (tx) => {
    const subscription = await subscriptionsRepository.lock(tx, input.accountId);
    if (!subscription) throw new Error(`account ${input.accountId} has no subscription`);
    if (subscription.currentPeriodStart.getTime() === boundary.getTime() && subscription.status !== 'trialing') {
      const made = await invoicesRepository.findForPeriod(tx, input.accountId, boundary);
      if (made) return outcome(made);
    }
    if (subscription.currentPeriodEnd.getTime() !== boundary.getTime() || subscription.status === 'canceled')
      return { renewed: false };

    const catalogue = await loadCatalogue(tx);
    const { subscription: renewed, appliedChange } = nextPeriod(subscription, (planId, interval) =>
      catalogue.price(planId, interval, { allowInactive: true }),
    );
    const now = deps.now();
    await subscriptionsRepository.save(tx, renewed, now);
    const line = {
      kind: 'subscription' as const,
      amount: renewed.price,
      planId: renewed.planId,
      interval: renewed.interval,
      periodStart: renewed.currentPeriodStart,
      periodEnd: renewed.currentPeriodEnd,
    };
    const invoice = await issueInvoice(
      tx,
      {
        accountId: renewed.accountId,
        kind: 'subscription',
        currency: renewed.currency,
        lines: [{ ...line, description: describeLine(line, catalogue.planName) }],
        periodStart: renewed.currentPeriodStart,
        periodEnd: renewed.currentPeriodEnd,
      },
      now,
      RENEWAL_ACTOR,
    );
    if (appliedChange) {
      await appendToOutbox(
        tx,
        planChangeApplied(
          renewed.accountId,
          { from: subscription, to: appliedChange, effectiveAt: boundary, kind: 'downgrade', invoiceId: undefined },
          RENEWAL_ACTOR,
        ),
      );
    }
    const reason = appliedChange ? 'downgraded' : subscription.status === 'trialing' ? 'trial_ended' : 'renewed';
    await appendToOutbox(tx, subscriptionChanged(renewed, reason, RENEWAL_ACTOR));
    return outcome(invoice);
  });
}
