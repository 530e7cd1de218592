import { DomainError } from '@crm/platform/errors';
import { billingAccountsRepository } from '../adapters/billing-accounts.repository';
import { invoicesRepository } from '../adapters/invoices.repository';
import { paymentMethodsRepository } from '../adapters/payment-methods.repository';
import { subscriptionsRepository } from '../adapters/subscriptions.repository';
import { displayNumber } from '../domain/invoice';
import { formatMoney } from '../domain/money';
import { cardExpiry } from '../domain/payment-method';
import type { BillingDeps } from '../deps';
import { loadCatalogue } from './catalogue';

export interface BillingWarning {
  code:
    | 'no_payment_method'
    | 'payment_failed'
    | 'card_expiring'
    | 'card_expired'
    | 'no_billing_address'
    | 'trial_ending';
  message: string;
}

/** The billing page: plan, status, period, next invoice (with a scheduled change), card, address, warnings. */
export async function getBillingOverview(deps: BillingDeps, input: { accountId: string }) {
  const db = deps.db.pool;
  const [account, subscription, card, openInvoices, catalogue] = await Promise.all([
    billingAccountsRepository.find(db, input.accountId),
    subscriptionsRepository.find(db, input.accountId),
    paymentMethodsRepository.findDefault(db, input.accountId),
    invoicesRepository.listOpenSubscriptionInvoices(db, input.accountId),
    loadCatalogue(db),
  ]);
  if (!account || !subscription)
    throw new DomainError(
      'resource.not_found',
      { accountId: input.accountId },
      { message: 'the account has no subscription' },
    );
  const now = deps.now();
  const plan = catalogue.plans.find((candidate) => candidate.id === subscription.planId);
  const next = subscription.pendingChange ?? subscription;
  const nextPrice = catalogue.price(next.planId, next.interval, { allowInactive: true });

  const warnings: BillingWarning[] = [];
  for (const invoice of openInvoices) {
    warnings.push({
      code: 'payment_failed',
      message: `Invoice ${displayNumber(invoice.number)} (${formatMoney(invoice.amountDue, invoice.currency)}) is unpaid${invoice.lastFailureMessage ? `: ${invoice.lastFailureMessage}` : ''}. Update the card to pay it now.`,
    });
  }
  if (!card) {
    warnings.push({ code: 'no_payment_method', message: 'No card on file: add one so the subscription can renew.' });
  } else {
    const expiry = cardExpiry(card, now, deps.settings.cardExpiryWarning);
    const ending = `${String(card.expMonth).padStart(2, '0')}/${card.expYear}`;
    if (expiry === 'expired')
      warnings.push({
        code: 'card_expired',
        message: `The ${card.brand} card ending ${card.last4} expired (${ending}): add a new card.`,
      });
    if (expiry === 'expiring')
      warnings.push({
        code: 'card_expiring',
        message: `The ${card.brand} card ending ${card.last4} expires at the end of ${ending}.`,
      });
  }
  if (!account.billingAddress)
    warnings.push({ code: 'no_billing_address', message: 'Add a billing address: it is printed on invoices.' });
  if (
    subscription.status === 'trialing' &&
    subscription.trialEndsAt &&
    subscription.trialEndsAt.getTime() - now.getTime() <= deps.settings.trialEndingWarning &&
    !card
  ) {
    warnings.push({
      code: 'trial_ending',
      message: `The trial ends on ${subscription.trialEndsAt.toISOString().slice(0, 10)}: add a card to keep the account running.`,
    });
  }

  return {
    plan,
    interval: subscription.interval,
    status: subscription.status,
    price: subscription.price,
    currency: subscription.currency,
    trialEndsAt: subscription.trialEndsAt,
    currentPeriodStart: subscription.currentPeriodStart,
    currentPeriodEnd: subscription.currentPeriodEnd,
    nextInvoice:
      subscription.status === 'canceled'
        ? undefined
        : {
            date: subscription.currentPeriodEnd,
            amount: nextPrice.amount,
            currency: nextPrice.currency,
            planId: next.planId,
            interval: next.interval,
          },
    pendingChange: subscription.pendingChange && {
      ...subscription.pendingChange,
      effectiveAt: subscription.currentPeriodEnd,
    },
    paymentMethod: card,
    billingAddress: account.billingAddress,
    billingEmail: account.billingEmail,
    warnings,
  };
}
