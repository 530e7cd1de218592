import { randomUUID } from 'node:crypto';
import type { EventActor } from '@crm/contracts';
import { appendToOutbox } from '@crm/platform/messaging';
import type { Tx } from '@crm/platform/pg';
import { billingAccountsRepository } from '../adapters/billing-accounts.repository';
import { invoicesRepository } from '../adapters/invoices.repository';
import { invoiceTotal, type Invoice, type InvoiceLine } from '../domain/invoice';
import { invoiceCreated } from './events';

export interface InvoiceDraft {
  accountId: string;
  kind: Invoice['kind'];
  currency: string;
  lines: InvoiceLine[];
  periodStart: Date;
  periodEnd: Date;
  requestKey?: string;
}

/**
 * Numbers and stores an invoice (open, or paid at once when nothing is due) with a snapshot of the account's
 * billing name, address and email, and announces it; inside the caller's transaction.
 */
export async function issueInvoice(tx: Tx, draft: InvoiceDraft, now: Date, actor: EventActor): Promise<Invoice> {
  const account = await billingAccountsRepository.find(tx, draft.accountId);
  if (!account) throw new Error(`billing account ${draft.accountId} does not exist`);
  const total = invoiceTotal(draft.lines);
  const amountDue = Math.max(0, total);
  const invoice: Invoice = {
    id: randomUUID(),
    accountId: draft.accountId,
    number: await billingAccountsRepository.nextInvoiceNumber(tx, draft.accountId),
    kind: draft.kind,
    status: amountDue === 0 ? 'paid' : 'open',
    currency: draft.currency,
    total,
    amountDue,
    amountPaid: 0,
    lines: draft.lines,
    periodStart: draft.periodStart,
    periodEnd: draft.periodEnd,
    accountName: account.name,
    billingAddress: account.billingAddress,
    billingEmail: account.billingEmail,
    requestKey: draft.requestKey,
    attemptCount: 0,
    lastFailureCode: undefined,
    lastFailureMessage: undefined,
    paymentIntentId: undefined,
    createdAt: now,
    paidAt: amountDue === 0 ? now : undefined,
  };
  await invoicesRepository.insert(tx, invoice);
  await appendToOutbox(tx, invoiceCreated(invoice, actor));
  return invoice;
}
