import { billingEvents, newEnvelope, type EventActor } from '@crm/contracts';
import type { Invoice } from '../domain/invoice';
import type { BillingInterval } from '../domain/periods';
import type { PlanChangeKind } from '../domain/proration';
import type { PendingChange, Subscription, SubscriptionStatus } from '../domain/subscription';

/** The billing events, built in one place (proto-JSON: enums by name, int64 as strings, timestamps as RFC 3339). */

export const SYSTEM_ACTOR: EventActor = { kind: 'system', id: 'billing' };
export const RENEWAL_ACTOR: EventActor = { kind: 'system', id: 'billing.subscription' };

const interval = (value: BillingInterval): 'BILLING_INTERVAL_MONTH' | 'BILLING_INTERVAL_YEAR' =>
  value === 'month' ? 'BILLING_INTERVAL_MONTH' : 'BILLING_INTERVAL_YEAR';
const statusNames = {
  trialing: 'SUBSCRIPTION_STATUS_TRIALING',
  active: 'SUBSCRIPTION_STATUS_ACTIVE',
  past_due: 'SUBSCRIPTION_STATUS_PAST_DUE',
  canceled: 'SUBSCRIPTION_STATUS_CANCELED',
} as const;
const status = (value: SubscriptionStatus) => statusNames[value];
const kindOfInvoice = (value: Invoice['kind']): 'INVOICE_KIND_SUBSCRIPTION' | 'INVOICE_KIND_PRORATION' =>
  value === 'subscription' ? 'INVOICE_KIND_SUBSCRIPTION' : 'INVOICE_KIND_PRORATION';
const kindOfChange = (value: PlanChangeKind): 'PLAN_CHANGE_KIND_UPGRADE' | 'PLAN_CHANGE_KIND_DOWNGRADE' =>
  value === 'upgrade' ? 'PLAN_CHANGE_KIND_UPGRADE' : 'PLAN_CHANGE_KIND_DOWNGRADE';

export const subscriptionCreated = (s: Subscription, actor: EventActor) =>
  newEnvelope(billingEvents.subscriptionCreated, {
    accountId: s.accountId,
    actor,
    payload: {
      accountId: s.accountId,
      planId: s.planId,
      interval: interval(s.interval),
      status: status(s.status),
      trialEndsAt: s.trialEndsAt?.toISOString(),
      price: String(s.price),
      currency: s.currency,
    },
  });

export type SubscriptionChangeReason =
  | 'renewed'
  | 'trial_ended'
  | 'upgraded'
  | 'downgraded'
  | 'payment_failed'
  | 'payment_recovered'
  | 'plan_changed_in_trial';

export const subscriptionChanged = (s: Subscription, reason: SubscriptionChangeReason, actor: EventActor) =>
  newEnvelope(billingEvents.subscriptionChanged, {
    accountId: s.accountId,
    actor,
    payload: {
      accountId: s.accountId,
      planId: s.planId,
      interval: interval(s.interval),
      status: status(s.status),
      currentPeriodStart: s.currentPeriodStart.toISOString(),
      currentPeriodEnd: s.currentPeriodEnd.toISOString(),
      price: String(s.price),
      currency: s.currency,
      reason,
    },
  });

export const invoiceCreated = (invoice: Invoice, actor: EventActor) =>
  newEnvelope(billingEvents.invoiceCreated, {
    accountId: invoice.accountId,
    actor,
    payload: {
      accountId: invoice.accountId,
      invoiceId: invoice.id,
      number: invoice.number,
      kind: kindOfInvoice(invoice.kind),
      total: String(invoice.total),
      amountDue: String(invoice.amountDue),
      currency: invoice.currency,
      periodStart: invoice.periodStart.toISOString(),
      periodEnd: invoice.periodEnd.toISOString(),
    },
  });

export const invoicePaid = (invoice: Invoice, paidAt: Date, actor: EventActor) =>
  newEnvelope(billingEvents.invoicePaid, {
    accountId: invoice.accountId,
    actor,
    payload: {
      accountId: invoice.accountId,
      invoiceId: invoice.id,
      number: invoice.number,
      amountPaid: String(invoice.amountDue),
      currency: invoice.currency,
      paidAt: paidAt.toISOString(),
      kind: kindOfInvoice(invoice.kind),
    },
  });

export const invoicePaymentFailed = (
  invoice: Invoice,
  failure: { attempt: number; code: string; declineCode: string | undefined },
  actor: EventActor,
) =>
  newEnvelope(billingEvents.invoicePaymentFailed, {
    accountId: invoice.accountId,
    actor,
    payload: {
      accountId: invoice.accountId,
      invoiceId: invoice.id,
      number: invoice.number,
      amountDue: String(invoice.amountDue),
      currency: invoice.currency,
      attempt: failure.attempt,
      failureCode: failure.code,
      declineCode: failure.declineCode ?? '',
      kind: kindOfInvoice(invoice.kind),
    },
  });

interface PlanRef {
  planId: string;
  interval: BillingInterval;
}

export const planChangeScheduled = (
  accountId: string,
  from: PlanRef,
  to: PlanRef,
  effectiveAt: Date,
  actor: EventActor,
) =>
  newEnvelope(billingEvents.planChangeScheduled, {
    accountId,
    actor,
    payload: {
      accountId,
      fromPlanId: from.planId,
      fromInterval: interval(from.interval),
      toPlanId: to.planId,
      toInterval: interval(to.interval),
      effectiveAt: effectiveAt.toISOString(),
    },
  });

export const planChangeApplied = (
  accountId: string,
  change: { from: PlanRef; to: PlanRef; effectiveAt: Date; kind: PlanChangeKind; invoiceId: string | undefined },
  actor: EventActor,
) =>
  newEnvelope(billingEvents.planChangeApplied, {
    accountId,
    actor,
    payload: {
      accountId,
      fromPlanId: change.from.planId,
      fromInterval: interval(change.from.interval),
      toPlanId: change.to.planId,
      toInterval: interval(change.to.interval),
      effectiveAt: change.effectiveAt.toISOString(),
      kind: kindOfChange(change.kind),
      invoiceId: change.invoiceId ?? '',
    },
  });

export const planChangeCanceled = (
  accountId: string,
  pending: PendingChange,
  effectiveAt: Date,
  reason: 'canceled' | 'replaced',
  actor: EventActor,
) =>
  newEnvelope(billingEvents.planChangeCanceled, {
    accountId,
    actor,
    payload: {
      accountId,
      planId: pending.planId,
      interval: interval(pending.interval),
      effectiveAt: effectiveAt.toISOString(),
      reason,
    },
  });

export const paymentMethodUpdated = (
  accountId: string,
  card: { id: string; brand: string; last4: string; expMonth: number; expYear: number },
  actor: EventActor,
) =>
  newEnvelope(billingEvents.paymentMethodUpdated, {
    accountId,
    actor,
    payload: {
      accountId,
      paymentMethodId: card.id,
      brand: card.brand,
      last4: card.last4,
      expMonth: card.expMonth,
      expYear: card.expYear,
    },
  });

export const customPlanRequested = (
  accountId: string,
  request: { id: string; message: string; requestedBy: string; billingEmail: string; planId: string },
  actor: EventActor,
) =>
  newEnvelope(billingEvents.customPlanRequested, {
    accountId,
    actor,
    payload: {
      accountId,
      requestId: request.id,
      message: request.message,
      requestedBy: request.requestedBy,
      billingEmail: request.billingEmail,
      planId: request.planId,
    },
  });
