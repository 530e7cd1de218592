import { DomainError } from '@crm/platform/errors';
import { invoicesRepository } from '../adapters/invoices.repository';
import type { Invoice } from '../domain/invoice';
import type { BillingDeps } from '../deps';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** One of the account's invoices; another account's (or an unknown) id is simply not found. */
export async function getInvoice(deps: BillingDeps, input: { accountId: string; invoiceId: string }): Promise<Invoice> {
  const invoice = UUID.test(input.invoiceId)
    ? await invoicesRepository.find(deps.db.pool, input.accountId, input.invoiceId)
    : undefined;
  if (!invoice)
    throw new DomainError('resource.not_found', { invoiceId: input.invoiceId }, { message: 'no such invoice' });
  return invoice;
}
