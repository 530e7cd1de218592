import { timestampDate, type Timestamp } from '@bufbuild/protobuf/wkt';
import { z } from 'zod';
import {
  BillingInterval,
  InvoiceKind,
  InvoiceLineKind,
  InvoiceStatus,
  PlanChangeKind,
  SubscriptionStatus,
  type billingV1,
  type BillingAddress,
  type Invoice,
  type InvoiceLine,
  type PaymentMethodSummary,
  type Plan,
} from '@crm/contracts';

/** The JSON shapes of the billing API (amounts: integer minor units with their currency; instants: ISO 8601). */

const iso = (timestamp: Timestamp | undefined) => (timestamp ? timestampDate(timestamp).toISOString() : null);
const amount = (value: bigint) => Number(value);
const intervalName = (interval: BillingInterval): 'month' | 'year' =>
  interval === BillingInterval.YEAR ? 'year' : 'month';

export const intervalSchema = z.enum(['month', 'year']).describe('"month" or "year"');
export const planIdSchema = z
  .string()
  .regex(/^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/, 'planId must be a plan slug such as "unlimited"');
export const intervalToProto = (interval: 'month' | 'year') =>
  interval === 'month' ? BillingInterval.MONTH : BillingInterval.YEAR;

const money = {
  amount: z.number().int().describe('minor units (cents)'),
  currency: z.string().describe('ISO 4217, lower case'),
};

export const planView = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  active: z.boolean(),
  currency: z.string(),
  prices: z.object({ month: z.number().int(), year: z.number().int() }).describe('minor units per period'),
});
export const toPlanView = (plan: Plan): z.infer<typeof planView> => ({
  id: plan.id,
  name: plan.name,
  description: plan.description,
  active: plan.active,
  currency: plan.prices[0]?.currency ?? 'usd',
  prices: {
    month: amount(plan.prices.find((p) => p.interval === BillingInterval.MONTH)?.amount ?? 0n),
    year: amount(plan.prices.find((p) => p.interval === BillingInterval.YEAR)?.amount ?? 0n),
  },
});

export const addressView = z.object({
  name: z.string(),
  line1: z.string(),
  line2: z.string(),
  city: z.string(),
  region: z.string(),
  postalCode: z.string(),
  country: z.string().describe('ISO 3166-1 alpha-2'),
});
const cleanAddress = (address: BillingAddress | undefined): z.infer<typeof addressView> | null =>
  address
    ? {
        name: address.name,
        line1: address.line1,
        line2: address.line2,
        city: address.city,
        region: address.region,
        postalCode: address.postalCode,
        country: address.country,
      }
    : null;

const lineKinds: Record<InvoiceLineKind, string> = {
  [InvoiceLineKind.UNSPECIFIED]: 'unspecified',
  [InvoiceLineKind.SUBSCRIPTION]: 'subscription',
  [InvoiceLineKind.PRORATION_CREDIT]: 'proration_credit',
  [InvoiceLineKind.PRORATION_CHARGE]: 'proration_charge',
};
export const lineView = z.object({
  kind: z.enum(['subscription', 'proration_credit', 'proration_charge', 'unspecified']),
  description: z.string(),
  amount: z.number().int().describe('signed minor units: credits are negative'),
  planId: z.string(),
  interval: intervalSchema,
  periodStart: z.string().nullable(),
  periodEnd: z.string().nullable(),
});
export const toLineView = (line: InvoiceLine) => ({
  kind: lineKinds[line.kind] as z.infer<typeof lineView>['kind'],
  description: line.description,
  amount: amount(line.amount),
  planId: line.planId,
  interval: intervalName(line.interval),
  periodStart: iso(line.periodStart),
  periodEnd: iso(line.periodEnd),
});

const invoiceStatuses: Record<InvoiceStatus, string> = {
  [InvoiceStatus.UNSPECIFIED]: 'open',
  [InvoiceStatus.OPEN]: 'open',
  [InvoiceStatus.PAID]: 'paid',
  [InvoiceStatus.VOID]: 'void',
  [InvoiceStatus.UNCOLLECTIBLE]: 'uncollectible',
};
export const invoiceView = z.object({
  id: z.uuid(),
  number: z.number().int(),
  displayNumber: z.string(),
  status: z.enum(['open', 'paid', 'void', 'uncollectible']),
  kind: z.enum(['subscription', 'proration']),
  currency: z.string(),
  total: z.number().int(),
  amountDue: z.number().int(),
  amountPaid: z.number().int(),
  lines: z.array(lineView),
  periodStart: z.string().nullable(),
  periodEnd: z.string().nullable(),
  createdAt: z.string().nullable(),
  paidAt: z.string().nullable(),
  billingAddress: addressView.nullable(),
  billingEmail: z.string(),
  attemptCount: z.number().int(),
  lastFailure: z.object({ code: z.string(), message: z.string() }).nullable(),
  pdfUrl: z.string(),
});
export const toInvoiceView = (invoice: Invoice | undefined): z.infer<typeof invoiceView> => {
  if (!invoice) throw new Error('billing answered without an invoice');
  return {
    id: invoice.id,
    number: invoice.number,
    displayNumber: invoice.displayNumber,
    status: invoiceStatuses[invoice.status] as z.infer<typeof invoiceView>['status'],
    kind: invoice.kind === InvoiceKind.PRORATION ? 'proration' : 'subscription',
    currency: invoice.currency,
    total: amount(invoice.total),
    amountDue: amount(invoice.amountDue),
    amountPaid: amount(invoice.amountPaid),
    lines: invoice.lines.map(toLineView),
    periodStart: iso(invoice.periodStart),
    periodEnd: iso(invoice.periodEnd),
    createdAt: iso(invoice.createdAt),
    paidAt: iso(invoice.paidAt),
    billingAddress: cleanAddress(invoice.billingAddress),
    billingEmail: invoice.billingEmail,
    attemptCount: invoice.attemptCount,
    lastFailure: invoice.lastFailureCode
      ? { code: invoice.lastFailureCode, message: invoice.lastFailureMessage }
      : null,
    pdfUrl: `/v1/billing/invoices/${invoice.id}/pdf`,
  };
};

export const cardView = z.object({
  id: z.string(),
  brand: z.string(),
  last4: z.string(),
  expMonth: z.number().int(),
  expYear: z.number().int(),
});
export const toCardView = (card: PaymentMethodSummary | undefined) =>
  card ? { id: card.id, brand: card.brand, last4: card.last4, expMonth: card.expMonth, expYear: card.expYear } : null;

const nextInvoiceView = z.object({
  date: z.string().nullable(),
  ...money,
  planId: z.string(),
  interval: intervalSchema,
});
const toNextInvoiceView = (next: billingV1.NextInvoice | undefined) =>
  next
    ? {
        date: iso(next.date),
        amount: amount(next.amount),
        currency: next.currency,
        planId: next.planId,
        interval: intervalName(next.interval),
      }
    : null;

const subscriptionStatuses: Record<SubscriptionStatus, string> = {
  [SubscriptionStatus.UNSPECIFIED]: 'active',
  [SubscriptionStatus.TRIALING]: 'trialing',
  [SubscriptionStatus.ACTIVE]: 'active',
  [SubscriptionStatus.PAST_DUE]: 'past_due',
  [SubscriptionStatus.CANCELED]: 'canceled',
};

export const overviewView = z.object({
  plan: z.object({ id: z.string(), name: z.string(), interval: intervalSchema, ...money }),
  status: z.enum(['trialing', 'active', 'past_due', 'canceled']),
  trialEndsAt: z.string().nullable(),
  currentPeriod: z.object({ start: z.string().nullable(), end: z.string().nullable() }),
  nextInvoice: nextInvoiceView.nullable().describe('includes a scheduled plan change'),
  pendingChange: z
    .object({
      planId: z.string(),
      interval: intervalSchema,
      effectiveAt: z.string().nullable(),
      requestedAt: z.string().nullable(),
    })
    .nullable(),
  paymentMethod: cardView.nullable(),
  billingAddress: addressView.nullable(),
  billingEmail: z.string(),
  warnings: z.array(z.object({ code: z.string(), message: z.string() })),
});
export const toOverviewView = (overview: billingV1.GetBillingOverviewResponse): z.infer<typeof overviewView> => ({
  plan: {
    id: overview.plan?.id ?? '',
    name: overview.plan?.name ?? '',
    interval: intervalName(overview.interval),
    amount: amount(overview.price),
    currency: overview.currency,
  },
  status: subscriptionStatuses[overview.status] as z.infer<typeof overviewView>['status'],
  trialEndsAt: iso(overview.trialEndsAt),
  currentPeriod: { start: iso(overview.currentPeriodStart), end: iso(overview.currentPeriodEnd) },
  nextInvoice: toNextInvoiceView(overview.nextInvoice),
  pendingChange: overview.pendingChange
    ? {
        planId: overview.pendingChange.planId,
        interval: intervalName(overview.pendingChange.interval),
        effectiveAt: iso(overview.pendingChange.effectiveAt),
        requestedAt: iso(overview.pendingChange.requestedAt),
      }
    : null,
  paymentMethod: toCardView(overview.paymentMethod),
  billingAddress: cleanAddress(overview.billingAddress),
  billingEmail: overview.billingEmail,
  warnings: overview.warnings.map((warning) => ({ code: warning.code, message: warning.message })),
});

const changeKind = (kind: PlanChangeKind) => (kind === PlanChangeKind.UPGRADE ? 'upgrade' : 'downgrade');

export const previewView = z.object({
  kind: z.enum(['upgrade', 'downgrade']),
  effectiveAt: z.string().nullable(),
  lines: z.array(lineView).describe('exactly the lines the change will invoice now'),
  amountDueNow: z.number().int(),
  currency: z.string(),
  nextInvoice: nextInvoiceView.nullable(),
  prorationDate: z
    .string()
    .nullable()
    .describe('pass it to POST /v1/billing/plan-change to invoice exactly these lines'),
});
export const toPreviewView = (preview: billingV1.PreviewPlanChangeResponse): z.infer<typeof previewView> => ({
  kind: changeKind(preview.kind),
  effectiveAt: iso(preview.effectiveAt),
  lines: preview.lines.map(toLineView),
  amountDueNow: amount(preview.amountDueNow),
  currency: preview.currency,
  nextInvoice: toNextInvoiceView(preview.nextInvoice),
  prorationDate: iso(preview.prorationDate),
});

export const changeView = z.object({
  status: z.enum(['applied', 'scheduled']),
  kind: z.enum(['upgrade', 'downgrade']),
  effectiveAt: z.string().nullable(),
  planId: z.string(),
  interval: intervalSchema,
  amountCharged: z.number().int(),
  currency: z.string(),
  invoice: invoiceView.nullable(),
});
export const toChangeView = (change: billingV1.ChangePlanResponse): z.infer<typeof changeView> => ({
  status: change.status === 'scheduled' ? 'scheduled' : 'applied',
  kind: changeKind(change.kind),
  effectiveAt: iso(change.effectiveAt),
  planId: change.planId,
  interval: intervalName(change.interval),
  amountCharged: amount(change.amountCharged),
  currency: change.currency,
  invoice: change.invoice ? toInvoiceView(change.invoice) : null,
});
