import { pdfText } from '../../test/support/pdf-text';
import type { Invoice } from '../domain/invoice';
import { renderInvoicePdf } from './invoice-pdf';

const anInvoice = (overrides: Partial<Invoice> = {}): Invoice => ({
  id: '5d0c7a52-2f0e-4a8e-9a43-1f4f3c0f6b11',
  accountId: '0f8b5d0e-8a45-4b8e-bb7a-54f5a2f3d1c2',
  number: 7,
  kind: 'proration',
  status: 'paid',
  currency: 'usd',
  total: 13999,
  amountDue: 13999,
  amountPaid: 13999,
  lines: [
    {
      kind: 'proration_credit',
      description: 'Unused time on Starter (monthly), 2026-03-10 – 2026-04-01 (credit -$67.90)',
      amount: -6790,
      planId: 'starter',
      interval: 'month',
      periodStart: new Date('2026-03-10T07:13:21Z'),
      periodEnd: new Date('2026-04-01T00:00:00Z'),
    },
    {
      kind: 'proration_charge',
      description: 'Remaining time on Unlimited (monthly), 2026-03-10 – 2026-04-01',
      amount: 20789,
      planId: 'unlimited',
      interval: 'month',
      periodStart: new Date('2026-03-10T07:13:21Z'),
      periodEnd: new Date('2026-04-01T00:00:00Z'),
    },
  ],
  periodStart: new Date('2026-03-10T07:13:21Z'),
  periodEnd: new Date('2026-04-01T00:00:00Z'),
  accountName: 'Acme Dental',
  billingAddress: {
    name: 'Acme Dental LLC',
    line1: '233 S Wacker Dr',
    line2: 'Suite 4400',
    city: 'Chicago',
    region: 'IL',
    postalCode: '60606',
    country: 'US',
  },
  billingEmail: 'billing@acme.test',
  requestKey: 'k',
  attemptCount: 1,
  lastFailureCode: undefined,
  lastFailureMessage: undefined,
  paymentIntentId: 'pi_1',
  createdAt: new Date('2026-03-10T07:13:22Z'),
  paidAt: new Date('2026-03-10T07:13:23Z'),
  ...overrides,
});

const issuer = { name: 'CRM Platform, Inc.', addressLines: ['100 Market Street', 'San Francisco, CA 94105'] };

describe('renderInvoicePdf', () => {
  it('renders a PDF whose text shows the number, the billing address, every line and the totals', async () => {
    const pdf = await renderInvoicePdf(anInvoice(), issuer);
    const text = (await pdfText(pdf)).replace(/\s+/g, ' ');

    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    for (const expected of [
      'Invoice INV-000007',
      'Status: PAID',
      'CRM Platform, Inc.',
      'Bill to',
      'Acme Dental LLC',
      '233 S Wacker Dr',
      'Suite 4400',
      'Chicago, IL 60606',
      'United States',
      'billing@acme.test',
      'Unused time on Starter (monthly)',
      '-$67.90',
      'Remaining time on Unlimited (monthly)',
      '$207.89',
      'Total',
      '$139.99',
      'Amount due',
      '$0.00',
    ]) {
      expect(text).toContain(expected);
    }
  });

  it('bills the account by name when it has no billing address yet, and shows what is due on an open invoice', async () => {
    const text = (
      await pdfText(
        await renderInvoicePdf(
          anInvoice({ billingAddress: undefined, status: 'open', amountPaid: 0, paidAt: undefined }),
          issuer,
        ),
      )
    ).replace(/\s+/g, ' ');
    expect(text).toContain('Bill to Acme Dental billing@acme.test');
    expect(text).toMatch(/Amount due \$139\.99/);
  });
});
