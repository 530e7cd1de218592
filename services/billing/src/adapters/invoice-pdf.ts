import PDFDocument from 'pdfkit';
import { addressLines } from '../domain/billing-address';
import { displayNumber, type Invoice } from '../domain/invoice';
import { formatMoney } from '../domain/money';

export interface InvoiceIssuer {
  name: string;
  addressLines: string[];
}

const statusLabel: Record<Invoice['status'], string> = {
  open: 'OPEN',
  paid: 'PAID',
  void: 'VOID',
  uncollectible: 'UNCOLLECTIBLE',
};
const day = (date: Date) => date.toISOString().slice(0, 10);

/**
 * The invoice as a PDF (Letter, built-in Helvetica, so nothing to load at run time): issuer, "Bill to" with the
 * billing address and email, dates and period, one row per line, total, amount paid and amount due.
 */
export function renderInvoicePdf(invoice: Invoice, issuer: InvoiceIssuer): Promise<Buffer> {
  const number = displayNumber(invoice.number);
  const doc = new PDFDocument({
    size: 'LETTER',
    margin: 54,
    info: { Title: `Invoice ${number}`, Author: issuer.name, Subject: `Invoice ${number} for ${invoice.accountName}` },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const money = (amount: number) => formatMoney(amount, invoice.currency);
  const left = doc.page.margins.left;
  const width = doc.page.width - doc.page.margins.left - doc.page.margins.right;

  doc.font('Helvetica-Bold').fontSize(20).text(`Invoice ${number}`, left, 54);
  doc.font('Helvetica').fontSize(10).text(`Status: ${statusLabel[invoice.status]}`);
  doc.moveDown();
  doc.font('Helvetica-Bold').text(issuer.name);
  doc.font('Helvetica');
  for (const line of issuer.addressLines) doc.text(line);

  doc.moveDown();
  const blockTop = doc.y;
  doc.font('Helvetica-Bold').text('Bill to', left, blockTop);
  doc.font('Helvetica');
  const billTo = invoice.billingAddress ? addressLines(invoice.billingAddress) : [invoice.accountName];
  for (const line of billTo) doc.text(line);
  doc.text(invoice.billingEmail);
  const afterBillTo = doc.y;

  const metaX = left + width / 2;
  doc.text(`Invoice date: ${day(invoice.createdAt)}`, metaX, blockTop);
  doc.text(`Service period: ${day(invoice.periodStart)} to ${day(invoice.periodEnd)}`, metaX);
  doc.text(`Account: ${invoice.accountName}`, metaX);
  if (invoice.paidAt) doc.text(`Paid on: ${day(invoice.paidAt)}`, metaX);
  doc.y = Math.max(afterBillTo, doc.y);

  doc.moveDown(2);
  const amountX = left + width - 110;
  const tableTop = doc.y;
  doc.font('Helvetica-Bold').text('Description', left, tableTop, { width: amountX - left - 10 });
  doc.text('Amount', amountX, tableTop, { width: 110, align: 'right' });
  doc
    .moveTo(left, doc.y + 4)
    .lineTo(left + width, doc.y + 4)
    .stroke();
  doc.moveDown(0.8);
  doc.font('Helvetica');
  for (const line of invoice.lines) {
    const rowTop = doc.y;
    doc.text(line.description, left, rowTop, { width: amountX - left - 10 });
    const rowBottom = doc.y;
    doc.text(money(line.amount), amountX, rowTop, { width: 110, align: 'right' });
    doc.y = Math.max(rowBottom, doc.y) + 4;
  }
  doc
    .moveTo(left, doc.y)
    .lineTo(left + width, doc.y)
    .stroke();
  doc.moveDown(0.8);

  const totalRow = (label: string, amount: number, bold = false) => {
    const rowTop = doc.y;
    doc
      .font(bold ? 'Helvetica-Bold' : 'Helvetica')
      .text(label, left, rowTop, { width: amountX - left - 10, align: 'right' });
    doc.text(money(amount), amountX, rowTop, { width: 110, align: 'right' });
  };
  totalRow('Total', invoice.total);
  totalRow('Amount paid', invoice.amountPaid);
  totalRow(
    'Amount due',
    invoice.status === 'paid' || invoice.status === 'void' ? 0 : invoice.amountDue - invoice.amountPaid,
    true,
  );

  doc.moveDown(2);
  doc
    .font('Helvetica')
    .fontSize(8)
    .fillColor('#555555')
    .text(`Amounts in ${invoice.currency.toUpperCase()}. Invoice id ${invoice.id}.`, left);
  doc.end();
  return done;
}
