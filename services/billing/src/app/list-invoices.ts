import { invoicesRepository } from '../adapters/invoices.repository';
import type { BillingDeps } from '../deps';

/** The account's invoices, newest first. */
export const listInvoices = (deps: BillingDeps, input: { accountId: string }) =>
  invoicesRepository.list(deps.db.pool, input.accountId);
