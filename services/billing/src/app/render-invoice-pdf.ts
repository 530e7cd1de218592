import { renderInvoicePdf } from '../adapters/invoice-pdf';
import { displayNumber } from '../domain/invoice';
import type { BillingDeps } from '../deps';
import { getInvoice } from './get-invoice';

/** The invoice as a PDF, rendered from what is stored (so it always matches the invoice). */
export async function renderInvoice(deps: BillingDeps, input: { accountId: string; invoiceId: string }) {
  const invoice = await getInvoice(deps, input);
  return {
    content: await renderInvoicePdf(invoice, deps.settings.issuer),
    filename: `${displayNumber(invoice.number)}.pdf`,
  };
}
