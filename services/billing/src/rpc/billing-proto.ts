import { timestampDate, timestampFromDate, type Timestamp } from '@bufbuild/protobuf/wkt';
import {
  BillingInterval,
  InvoiceKind,
  InvoiceLineKind,
  InvoiceStatus,
  PlanChangeKind,
  SubscriptionStatus,
  actorFromProto,
  type Actor,
  type EventActor,
} from '@crm/contracts';
import { validationError } from '@crm/platform/errors';
import type { BillingAddress } from '../domain/billing-address';
import { displayNumber, type Invoice, type InvoiceLine } from '../domain/invoice';
import type { CardSummary } from '../domain/payment-method';
import type { BillingInterval as Interval } from '../domain/periods';
import type { Plan } from '../domain/plan';
import type { SubscriptionStatus as Status } from '../domain/subscription';

/** Domain ⇄ internal API (crm.billing.v1) mappings. */

export const intervalToProto = (interval: Interval) =>
  interval === 'month' ? BillingInterval.MONTH : BillingInterval.YEAR;

export function intervalFromProto(interval: BillingInterval, field = 'interval'): Interval {
  if (interval === BillingInterval.MONTH) return 'month';
  if (interval === BillingInterval.YEAR) return 'year';
  throw validationError([{ field, message: 'interval must be "month" or "year"', code: 'invalid_value' }]);
}

export function requireActor(actor: Actor | undefined): EventActor {
  if (!actor) throw validationError([{ field: 'actor', message: 'actor is required', code: 'required' }]);
  return actorFromProto(actor);
}

const statusToProto: Record<Status, SubscriptionStatus> = {
  trialing: SubscriptionStatus.TRIALING,
  active: SubscriptionStatus.ACTIVE,
  past_due: SubscriptionStatus.PAST_DUE,
  canceled: SubscriptionStatus.CANCELED,
};
export const subscriptionStatusToProto = (status: Status) => statusToProto[status];

const invoiceStatusToProto: Record<Invoice['status'], InvoiceStatus> = {
  open: InvoiceStatus.OPEN,
  paid: InvoiceStatus.PAID,
  void: InvoiceStatus.VOID,
  uncollectible: InvoiceStatus.UNCOLLECTIBLE,
};

const lineKindToProto: Record<InvoiceLine['kind'], InvoiceLineKind> = {
  subscription: InvoiceLineKind.SUBSCRIPTION,
  proration_credit: InvoiceLineKind.PRORATION_CREDIT,
  proration_charge: InvoiceLineKind.PRORATION_CHARGE,
};

export const planChangeKindToProto = (kind: 'upgrade' | 'downgrade') =>
  kind === 'upgrade' ? PlanChangeKind.UPGRADE : PlanChangeKind.DOWNGRADE;

export const ts = (date: Date | undefined): Timestamp | undefined => (date ? timestampFromDate(date) : undefined);
export const dateOf = (timestamp: Timestamp | undefined): Date | undefined =>
  timestamp ? timestampDate(timestamp) : undefined;

export const planToProto = (plan: Plan) => ({
  id: plan.id,
  name: plan.name,
  description: plan.description,
  active: plan.active,
  sortOrder: plan.sortOrder,
  prices: (['month', 'year'] as const).map((interval) => ({
    interval: intervalToProto(interval),
    amount: BigInt(plan.prices[interval]),
    currency: plan.currency,
  })),
});

export const lineToProto = (line: InvoiceLine) => ({
  kind: lineKindToProto[line.kind],
  description: line.description,
  amount: BigInt(line.amount),
  planId: line.planId,
  interval: intervalToProto(line.interval),
  periodStart: ts(line.periodStart),
  periodEnd: ts(line.periodEnd),
});

export const addressToProto = (address: BillingAddress | undefined) => address && { ...address };

export const cardToProto = (card: CardSummary | undefined) =>
  card && { id: card.id, brand: card.brand, last4: card.last4, expMonth: card.expMonth, expYear: card.expYear };

export const invoiceToProto = (invoice: Invoice) => ({
  id: invoice.id,
  number: invoice.number,
  displayNumber: displayNumber(invoice.number),
  status: invoiceStatusToProto[invoice.status],
  kind: invoice.kind === 'subscription' ? InvoiceKind.SUBSCRIPTION : InvoiceKind.PRORATION,
  currency: invoice.currency,
  total: BigInt(invoice.total),
  amountDue: BigInt(invoice.amountDue),
  amountPaid: BigInt(invoice.amountPaid),
  lines: invoice.lines.map(lineToProto),
  periodStart: ts(invoice.periodStart),
  periodEnd: ts(invoice.periodEnd),
  createdAt: ts(invoice.createdAt),
  paidAt: ts(invoice.paidAt),
  billingAddress: addressToProto(invoice.billingAddress),
  billingEmail: invoice.billingEmail,
  attemptCount: invoice.attemptCount,
  lastFailureCode: invoice.lastFailureCode ?? '',
  lastFailureMessage: invoice.lastFailureMessage ?? '',
});

export const nextInvoiceToProto = (
  next: { date: Date; amount: number; currency: string; planId: string; interval: Interval } | undefined,
) =>
  next && {
    date: ts(next.date),
    amount: BigInt(next.amount),
    currency: next.currency,
    planId: next.planId,
    interval: intervalToProto(next.interval),
  };
