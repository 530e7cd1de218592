import { appendToOutbox } from '@crm/platform/messaging';
import type { Tx } from '@crm/platform/pg';
import { invoicesRepository } from '../adapters/invoices.repository';
import { subscriptionsRepository } from '../adapters/subscriptions.repository';
import type { Invoice } from '../domain/invoice';
import type { BillingDeps } from '../deps';
import { invoicePaid, RENEWAL_ACTOR, subscriptionChanged } from './events';

/** An open invoice is paid (by our charge, or as Stripe reports it): stored, announced, the subscription's standing updated. */
export async function recordPayment(
  tx: Tx,
  deps: BillingDeps,
  invoice: Invoice,
  payment: { paymentIntentId: string | undefined; attempted: boolean },
): Promise<void> {
  const now = deps.now();
  await invoicesRepository.markPaid(tx, invoice.accountId, invoice.id, now, payment.paymentIntentId, payment.attempted);
  await appendToOutbox(tx, invoicePaid(invoice, now, RENEWAL_ACTOR));
  await updateSubscriptionStanding(tx, deps, invoice);
}

/** `past_due` while a subscription invoice is open, `active` again once none is. */
export async function updateSubscriptionStanding(tx: Tx, deps: BillingDeps, invoice: Invoice): Promise<void> {
  if (invoice.kind !== 'subscription') return;
  const subscription = await subscriptionsRepository.lock(tx, invoice.accountId);
  if (!subscription || subscription.status === 'canceled' || subscription.status === 'trialing') return;
  const open = await invoicesRepository.listOpenSubscriptionInvoices(tx, invoice.accountId);
  const status = open.length > 0 ? 'past_due' : 'active';
  if (status === subscription.status) return;
  const changed = { ...subscription, status } as const;
  await subscriptionsRepository.save(tx, changed, deps.now());
  await appendToOutbox(
    tx,
    subscriptionChanged(changed, status === 'past_due' ? 'payment_failed' : 'payment_recovered', RENEWAL_ACTOR),
  );
}
