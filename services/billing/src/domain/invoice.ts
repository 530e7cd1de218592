import type { BillingAddress } from './billing-address';
import type { BillingInterval } from './periods';
import type { ProrationLine } from './proration';

export type InvoiceStatus = 'open' | 'paid' | 'void' | 'uncollectible';
export type InvoiceKind = 'subscription' | 'proration';
export type InvoiceLineKind = 'subscription' | 'proration_credit' | 'proration_charge';

export interface InvoiceLine {
  kind: InvoiceLineKind;
  description: string;
  /** Signed minor units. */
  amount: number;
  planId: string;
  interval: BillingInterval;
  periodStart: Date;
  periodEnd: Date;
}

export interface Invoice {
  id: string;
  accountId: string;
  /** Per-account sequence, from 1. */
  number: number;
  kind: InvoiceKind;
  status: InvoiceStatus;
  currency: string;
  total: number;
  amountDue: number;
  amountPaid: number;
  lines: InvoiceLine[];
  periodStart: Date;
  periodEnd: Date;
  accountName: string;
  billingAddress: BillingAddress | undefined;
  billingEmail: string;
  /** The plan-change request that produced a proration invoice (its idempotency key). */
  requestKey: string | undefined;
  attemptCount: number;
  lastFailureCode: string | undefined;
  lastFailureMessage: string | undefined;
  paymentIntentId: string | undefined;
  createdAt: Date;
  paidAt: Date | undefined;
}

export const displayNumber = (number: number) => `INV-${String(number).padStart(6, '0')}`;

const day = (date: Date) => date.toISOString().slice(0, 10);
const intervalWord = (interval: BillingInterval) => (interval === 'month' ? 'monthly' : 'annual');

/** The description printed for a line, e.g. "Unlimited (monthly), 2026-03-01 – 2026-04-01". */
export function describeLine(line: Omit<InvoiceLine, 'description'>, planName: (planId: string) => string): string {
  const plan = `${planName(line.planId)} (${intervalWord(line.interval)})`;
  const period = `${day(line.periodStart)} – ${day(line.periodEnd)}`;
  switch (line.kind) {
    case 'subscription':
      return `${plan}, ${period}`;
    case 'proration_credit':
      return `Unused time on ${plan}, ${period}`;
    case 'proration_charge':
      return `Remaining time on ${plan}, ${period}`;
  }
}

/** Proration lines as invoice lines, with their descriptions. */
export const prorationInvoiceLines = (lines: ProrationLine[], planName: (planId: string) => string): InvoiceLine[] =>
  lines.map((line) => ({ ...line, description: describeLine(line, planName) }));

export const invoiceTotal = (lines: Pick<InvoiceLine, 'amount'>[]) => lines.reduce((sum, line) => sum + line.amount, 0);
