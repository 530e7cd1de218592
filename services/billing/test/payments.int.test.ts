import { createHash, randomUUID } from 'node:crypto';
import Stripe from 'stripe';
import { InvoiceStatus } from '@crm/contracts';
import { eventually, stackEnv } from '@crm/testing';
import { chargeAttemptKey } from '@crm/workflows/messages';
import { billingAccountsRepository } from '../src/adapters/billing-accounts.repository';
import { idempotencyRepository } from '../src/adapters/idempotency.repository';
import { paymentMethodsRepository } from '../src/adapters/payment-methods.repository';
import { chargeInvoice } from '../src/app/charge-invoice';
import { renewSubscription } from '../src/app/renew-subscription';
import {
  DECLINING_CARD,
  GOOD_CARD,
  TEST_WEBHOOK_SECRET,
  ownerActor,
  startBillingHarness,
  type BillingHarness,
} from './support/billing-harness';
import { domainErrorOf } from './support/domain-error-of';
import { pdfText } from './support/pdf-text';

jest.setTimeout(90_000);

const stripe = () => {
  const base = new URL(stackEnv().STRIPE_API_BASE);
  return new Stripe('sk_test_local_emulator', {
    host: base.hostname,
    port: Number(base.port),
    protocol: 'http',
    maxNetworkRetries: 0,
  });
};

describe('billing payments, invoices and webhooks on the real stack', () => {
  let billing: BillingHarness;
  beforeAll(async () => {
    billing = await startBillingHarness();
  });
  afterAll(() => billing?.close());

  /** An account past its (empty) trial whose first invoice is open: no card yet. */
  async function accountWithOpenInvoice(planId = 'starter') {
    const accountId = await billing.registerNewAccount({ planId, trialDays: 0 });
    const invoice = await eventually(async () => {
      const { invoices } = await billing.client.listInvoices({ accountId });
      return invoices[0]?.attemptCount ? invoices[0] : undefined;
    });
    return { accountId, invoice };
  }

  /** Puts a card on file at Stripe and in billing without retrying anything (the test then charges by hand). */
  async function fileCard(accountId: string, number = GOOD_CARD) {
    const paymentMethodId = await billing.confirmCard(accountId, number);
    const account = await billingAccountsRepository.find(billing.deps.db.pool, accountId);
    await billing.deps.payments.attachAsDefault(paymentMethodId, account!.stripeCustomerId!);
    const card = await billing.deps.payments.retrievePaymentMethod(paymentMethodId);
    await paymentMethodsRepository.saveAsDefault(
      billing.deps.db.pool,
      accountId,
      { ...card!, id: paymentMethodId },
      new Date(),
    );
    return { paymentMethodId, customerId: account!.stripeCustomerId! };
  }

  const stripeCharges = async (customerId: string) =>
    (await stripe().charges.list({ customer: customerId, limit: 100 })).data;

  it('makes one PaymentIntent for concurrent charges under the same attempt key', async () => {
    const { accountId, invoice } = await accountWithOpenInvoice();
    const { customerId } = await fileCard(accountId);
    const key = chargeAttemptKey(invoice.id, 2);

    const results = await Promise.all(
      [1, 2, 3].map(() => chargeInvoice(billing.deps, { accountId, invoiceId: invoice.id, idempotencyKey: key })),
    );

    expect(results).toEqual([{ paid: true }, { paid: true }, { paid: true }]);
    expect(await stripeCharges(customerId)).toHaveLength(1);
    expect(await billing.eventsOf(accountId, 'billing.invoice.paid.v1')).toHaveLength(1);
  });

  it('never charges twice when a previous try of the same attempt died after Stripe had charged', async () => {
    const { accountId, invoice } = await accountWithOpenInvoice();
    const { customerId, paymentMethodId } = await fileCard(accountId);
    const key = chargeAttemptKey(invoice.id, 2);
    // The earlier try: it claimed the key and Stripe charged, then the process died before recording anything.
    await idempotencyRepository.claim(
      billing.deps.db.pool,
      'billing.charge',
      key,
      requestHashOf(accountId, invoice.id),
    );
    await billing.deps.payments.chargeOffSession({
      customerId,
      paymentMethodId,
      amount: 9700,
      currency: 'usd',
      idempotencyKey: key,
      metadata: { account_id: accountId, invoice_id: invoice.id, invoice_number: 'INV-000001' },
    });

    const retried = await chargeInvoice(billing.deps, { accountId, invoiceId: invoice.id, idempotencyKey: key });

    expect(retried).toEqual({ paid: true });
    expect(await stripeCharges(customerId)).toHaveLength(1);
    expect((await billing.client.getInvoice({ accountId, invoiceId: invoice.id })).invoice?.status).toBe(
      InvoiceStatus.PAID,
    );
  });

  it('records a declined renewal attempt and keeps the invoice open for dunning', async () => {
    const { accountId, invoice } = await accountWithOpenInvoice();
    await fileCard(accountId, DECLINING_CARD);

    const result = await chargeInvoice(billing.deps, {
      accountId,
      invoiceId: invoice.id,
      idempotencyKey: chargeAttemptKey(invoice.id, 2),
    });

    expect(result).toMatchObject({ paid: false, failureCode: 'card_declined' });
    const { invoice: after } = await billing.client.getInvoice({ accountId, invoiceId: invoice.id });
    expect(after).toMatchObject({ status: InvoiceStatus.OPEN, attemptCount: 2, lastFailureCode: 'card_declined' });
    expect(
      (await billing.eventsOf(accountId, 'billing.invoice.payment_failed.v1')).map((e) => e.payload.attempt),
    ).toEqual([1, 2]);
  });

  it('refuses a charge key that does not belong to the invoice', async () => {
    const { accountId, invoice } = await accountWithOpenInvoice();
    const error = await domainErrorOf(
      chargeInvoice(billing.deps, { accountId, invoiceId: invoice.id, idempotencyKey: `${randomUUID()}:attempt:1` }),
    );
    expect(error).toMatchObject({ code: 'validation.failed' });
  });

  it('renders the invoice PDF with its lines and the billing address in force when it was issued', async () => {
    const accountId = await billing.registerNewAccount({
      planId: 'unlimited',
      trialDays: 14,
      name: 'Bright Smiles Clinic',
    });
    await billing.client.updateBillingAddress({
      accountId,
      actor: ownerActor(),
      address: {
        name: 'Bright Smiles Clinic PC',
        line1: '1 Infinite Loop',
        line2: '',
        city: 'Cupertino',
        region: 'CA',
        postalCode: '95014',
        country: 'us',
      },
      billingEmail: 'Accounts@BrightSmiles.test',
    });
    await billing.addCard(accountId);
    expect((await billing.client.getBillingOverview({ accountId })).billingEmail).toBe('accounts@brightsmiles.test');
    // End the trial now, then run the renewal step the subscription workflow runs at the trial's end.
    const { rows } = await billing.deps.db.query<{ now: Date }>(
      `UPDATE subscriptions SET current_period_end = date_trunc('second', now()), trial_ends_at = date_trunc('second', now())
        WHERE account_id = $1 RETURNING current_period_end AS now`,
      [accountId],
    );
    const renewal = await renewSubscription(billing.deps, { accountId, periodEnd: rows[0]!.now.toISOString() });
    if (!renewal.renewed) throw new Error('expected the trial to end with a renewal');

    const { content, filename } = await billing.client.getInvoicePdf({ accountId, invoiceId: renewal.invoiceId });
    const text = (await pdfText(content)).replace(/\s+/g, ' ');

    expect(filename).toBe('INV-000001.pdf');
    expect(text).toContain('Invoice INV-000001');
    expect(text).toContain(
      'Bright Smiles Clinic PC 1 Infinite Loop Cupertino, CA 95014 United States accounts@brightsmiles.test',
    );
    expect(text).toMatch(/Unlimited \(monthly\), \d{4}-\d{2}-\d{2} – \d{4}-\d{2}-\d{2} \$297\.00/);
    expect(text).toMatch(/Amount due \$297\.00/);
  });

  it('answers not found for another account’s invoice', async () => {
    const { invoice } = await accountWithOpenInvoice();
    const stranger = await billing.registerNewAccount({ trialDays: 14 });
    expect(
      await domainErrorOf(billing.client.getInvoice({ accountId: stranger, invoiceId: invoice.id })),
    ).toMatchObject({ code: 'resource.not_found' });
    expect(
      await domainErrorOf(billing.client.getInvoicePdf({ accountId: stranger, invoiceId: invoice.id })),
    ).toMatchObject({ code: 'resource.not_found' });
  });

  it('validates the billing address and email, naming each field', async () => {
    const accountId = await billing.registerNewAccount({ trialDays: 14 });
    const error = await domainErrorOf(
      billing.client.updateBillingAddress({
        accountId,
        actor: ownerActor(),
        address: {
          name: 'Acme',
          line1: '',
          line2: '',
          city: 'Chicago',
          region: 'IL',
          postalCode: '6060',
          country: 'US',
        },
        billingEmail: '',
      }),
    );
    expect(error).toMatchObject({ code: 'validation.failed' });
    expect((error as { fieldErrors: { field: string }[] }).fieldErrors.map((e) => e.field).sort()).toEqual([
      'address.line1',
      'address.postalCode',
    ]);
    const badEmail = await domainErrorOf(
      billing.client.updateBillingAddress({
        accountId,
        actor: ownerActor(),
        address: {
          name: 'Acme',
          line1: '1 Main St',
          line2: '',
          city: 'Chicago',
          region: 'IL',
          postalCode: '60606',
          country: 'US',
        },
        billingEmail: 'nope',
      }),
    );
    expect(badEmail).toMatchObject({
      code: 'validation.failed',
      fieldErrors: [expect.objectContaining({ field: 'billingEmail' })],
    });
  });

  it('refuses a payment method that is not a card of this account', async () => {
    const accountId = await billing.registerNewAccount({ trialDays: 14 });
    const other = await billing.registerNewAccount({ trialDays: 14 });
    const { paymentMethodId } = await fileCard(other);
    expect(
      await domainErrorOf(billing.client.setPaymentMethod({ accountId, actor: ownerActor(), paymentMethodId })),
    ).toMatchObject({
      code: 'validation.failed',
    });
    expect(
      await domainErrorOf(
        billing.client.setPaymentMethod({ accountId, actor: ownerActor(), paymentMethodId: 'pm_doesnotexist' }),
      ),
    ).toMatchObject({
      code: 'validation.failed',
    });
  });

  it('stores and announces a custom-plan request once per request key', async () => {
    const accountId = await billing.registerNewAccount({ planId: 'pro', trialDays: 14 });
    const request = {
      accountId,
      actor: ownerActor(),
      message: 'We need 40 sub-accounts and a white-label mobile app.',
      idempotencyKey: 'call-1',
    };
    const first = await billing.client.requestCustomPlan(request);
    const repeat = await billing.client.requestCustomPlan(request);
    expect(repeat.requestId).toBe(first.requestId);
    expect(await billing.eventsOf(accountId, 'billing.custom_plan.requested.v1')).toEqual([
      expect.objectContaining({
        payload: expect.objectContaining({ requestId: first.requestId, planId: 'pro', message: request.message }),
      }),
    ]);
    expect(
      await domainErrorOf(billing.client.requestCustomPlan({ ...request, message: 'hi', idempotencyKey: '' })),
    ).toMatchObject({ code: 'validation.failed' });
  });

  describe('Stripe webhooks', () => {
    const signed = (event: object, secret = TEST_WEBHOOK_SECRET) => {
      const payload = JSON.stringify(event);
      return {
        payload: new TextEncoder().encode(payload),
        signature: stripe().webhooks.generateTestHeaderString({ payload, secret }),
      };
    };

    it('refuses a delivery whose signature does not match', async () => {
      const event = {
        id: `evt_${randomUUID()}`,
        object: 'event',
        type: 'payment_method.updated',
        data: { object: { id: 'pm_x' } },
      };
      expect(
        await domainErrorOf(billing.client.handleStripeWebhook(signed(event, 'whsec_someone_else'))),
      ).toMatchObject({ code: 'billing.webhook_signature_invalid' });
      const tampered = {
        ...signed(event),
        payload: new TextEncoder().encode(JSON.stringify({ ...event, type: 'payment_intent.succeeded' })),
      };
      expect(await domainErrorOf(billing.client.handleStripeWebhook(tampered))).toMatchObject({
        code: 'billing.webhook_signature_invalid',
      });
    });

    it('applies the same event once, however often it is delivered', async () => {
      const accountId = await billing.registerNewAccount({ trialDays: 14 });
      const { paymentMethodId } = await fileCard(accountId);
      const event = {
        id: `evt_${randomUUID().replaceAll('-', '')}`,
        object: 'event',
        type: 'payment_method.automatically_updated',
        created: Math.floor(Date.now() / 1000),
        data: {
          object: {
            id: paymentMethodId,
            object: 'payment_method',
            type: 'card',
            customer: null,
            card: { brand: 'visa', last4: '4242', exp_month: 3, exp_year: 2031 },
          },
        },
      };
      const delivery = signed(event);

      const first = await billing.client.handleStripeWebhook(delivery);
      const second = await billing.client.handleStripeWebhook(delivery);

      expect(first).toMatchObject({ eventId: event.id, duplicate: false });
      expect(second).toMatchObject({ eventId: event.id, duplicate: true });
      expect((await billing.client.getBillingOverview({ accountId })).paymentMethod).toMatchObject({
        expMonth: 3,
        expYear: 2031,
      });
      const updates = await billing.eventsOf(accountId, 'billing.payment_method.updated.v1');
      expect(updates.filter((e) => e.actor.id === 'billing.stripe-webhook')).toHaveLength(1);
    });
  });
});

/** The request hash chargeInvoice stores with a key (account and invoice). */
const requestHashOf = (accountId: string, invoiceId: string) =>
  createHash('sha256').update(`${accountId}/${invoiceId}`).digest('hex');
