import type { EventActor } from '@crm/contracts';
import { chargeAttemptKey } from '@crm/workflows/messages';
import { DomainError } from '@crm/platform/errors';
import { appendToOutbox } from '@crm/platform/messaging';
import { invoicesRepository } from '../adapters/invoices.repository';
import { paymentMethodsRepository } from '../adapters/payment-methods.repository';
import type { Invoice } from '../domain/invoice';
import type { CardSummary } from '../domain/payment-method';
import type { BillingDeps } from '../deps';
import { chargeInvoice } from './charge-invoice';
import { ensureStripeCustomer } from './ensure-stripe-customer';
import { paymentMethodUpdated } from './events';

export interface SetPaymentMethod {
  accountId: string;
  paymentMethodId: string;
  actor: EventActor;
}

const PAYMENT_METHOD_ID = /^(pm|card|src)_[A-Za-z0-9_]{1,250}$/;

/**
 * Makes a card (a Stripe PaymentMethod, e.g. from the confirmed SetupIntent) the account's default: attached to
 * the account's Stripe customer, brand/last 4/expiry stored, billing.payment_method.updated.v1 announced. Then
 * every past-due invoice is retried at once with it (PRODUCT.md §5), each as its next charge attempt.
 */
export async function setPaymentMethod(
  deps: BillingDeps,
  command: SetPaymentMethod,
): Promise<{ card: CardSummary; retried: Invoice[] }> {
  const unknown = () =>
    new DomainError(
      'validation.failed',
      { paymentMethodId: command.paymentMethodId },
      {
        message: 'no such card: confirm a SetupIntent first and pass its payment_method',
        fieldErrors: [{ field: 'paymentMethodId', message: 'unknown payment method', code: 'unknown' }],
      },
    );
  if (!PAYMENT_METHOD_ID.test(command.paymentMethodId)) throw unknown();
  const customerId = await ensureStripeCustomer(deps, command.accountId);
  const found = await deps.payments.retrievePaymentMethod(command.paymentMethodId);
  if (!found || (found.customerId !== undefined && found.customerId !== customerId)) throw unknown();
  await deps.payments.attachAsDefault(found.id, customerId);
  const card: CardSummary = {
    id: found.id,
    brand: found.brand,
    last4: found.last4,
    expMonth: found.expMonth,
    expYear: found.expYear,
  };

  await deps.db.transaction(async (tx) => {
    await paymentMethodsRepository.saveAsDefault(tx, command.accountId, card, deps.now());
    await appendToOutbox(tx, paymentMethodUpdated(command.accountId, card, command.actor));
  });

  const retried: Invoice[] = [];
  for (const invoice of await invoicesRepository.listOpenSubscriptionInvoices(deps.db.pool, command.accountId)) {
    await chargeInvoice(deps, {
      accountId: command.accountId,
      invoiceId: invoice.id,
      idempotencyKey: chargeAttemptKey(invoice.id, invoice.attemptCount + 1),
    });
    const after = await invoicesRepository.find(deps.db.pool, command.accountId, invoice.id);
    if (after) retried.push(after);
  }
  return { card, retried };
}
