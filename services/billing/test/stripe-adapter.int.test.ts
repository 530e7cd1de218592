import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import Stripe from 'stripe';
import { createStripeGateway, type PaymentGateway } from '../src/adapters/stripe';

/**
 * Contract tests of the Stripe adapter against stripe-mock, which validates every request against Stripe's
 * published OpenAPI (an unknown or malformed parameter answers 400): what the adapter sends is what real Stripe
 * accepts. (Behaviour — declines, SetupIntents, charges — is tested against localstripe in the other files.)
 */
jest.setTimeout(120_000);

const repositoryRoot = path.resolve(__dirname, '../../..');
const stripeMockBase = process.env.STRIPE_MOCK_BASE ?? 'http://127.0.0.1:12111';
const WEBHOOK_SECRET = 'whsec_contract_tests';

describe('Stripe adapter contract (stripe-mock)', () => {
  let gateway: PaymentGateway;

  beforeAll(async () => {
    // stripe-mock is an optional piece of the local stack: start it if it is not running (idempotent).
    await promisify(execFile)('bash', ['deploy/local/stack.sh', 'up', 'stripe-mock'], {
      cwd: repositoryRoot,
      timeout: 110_000,
    });
    gateway = createStripeGateway({
      apiBase: stripeMockBase,
      secretKey: 'sk_test_123',
      webhookSecret: WEBHOOK_SECRET,
      timeoutMs: 10_000,
    });
  });

  it('creates a customer with the account in its metadata', async () => {
    await expect(
      gateway.createCustomer({
        accountId: '6f1c0b8e-3f55-4d1e-8b0a-0d3c2b1a0f9e',
        name: 'Acme Dental',
        email: 'billing@acme.test',
      }),
    ).resolves.toMatch(/^cus_/);
  });

  it('creates an off-session SetupIntent for the browser', async () => {
    const intent = await gateway.createSetupIntent('cus_123', '6f1c0b8e-3f55-4d1e-8b0a-0d3c2b1a0f9e');
    expect(intent.id).toMatch(/^seti_/);
    expect(intent.clientSecret.length).toBeGreaterThan(0);
  });

  it('reads a card payment method as brand, last 4 and expiry', async () => {
    const card = await gateway.retrievePaymentMethod('pm_123');
    expect(card).toMatchObject({
      id: expect.stringMatching(/^pm_/),
      brand: expect.any(String),
      last4: expect.stringMatching(/^\d{4}$/),
      expMonth: expect.any(Number),
      expYear: expect.any(Number),
    });
  });

  it('attaches a card and makes it the customer’s default', async () => {
    await expect(gateway.attachAsDefault('pm_123', 'cus_other')).resolves.toBeUndefined();
  });

  it('creates a confirmed off-session PaymentIntent with the idempotency key in its metadata', async () => {
    const outcome = await gateway.chargeOffSession({
      customerId: 'cus_123',
      paymentMethodId: 'pm_123',
      amount: 9700,
      currency: 'usd',
      idempotencyKey: '2a4c6e80-1b3d-4f5a-8c7e-9d0b1a2c3e4f:attempt:1',
      metadata: { account_id: 'a', invoice_id: '2a4c6e80-1b3d-4f5a-8c7e-9d0b1a2c3e4f', invoice_number: 'INV-000001' },
    });
    expect(outcome.paymentIntentId).toMatch(/^pi_/);
  });

  it('looks up earlier charges of a customer by time', async () => {
    // stripe-mock's fixtures carry no metadata of ours: the request is accepted and nothing matches.
    await expect(
      gateway.findCharge({ customerId: 'cus_123', idempotencyKey: 'k:attempt:1', since: new Date() }),
    ).resolves.toBeUndefined();
  });

  it('verifies webhook signatures with the SDK', () => {
    const payload = JSON.stringify({
      id: 'evt_1',
      object: 'event',
      type: 'payment_method.updated',
      data: { object: { id: 'pm_1' } },
    });
    const signature = new Stripe('sk_test_123').webhooks.generateTestHeaderString({ payload, secret: WEBHOOK_SECRET });
    expect(gateway.verifyWebhook(Buffer.from(payload), signature)).toEqual({
      id: 'evt_1',
      type: 'payment_method.updated',
      object: { id: 'pm_1' },
    });
    const forged = new Stripe('sk_test_123').webhooks.generateTestHeaderString({ payload, secret: 'whsec_not_ours' });
    expect(() => gateway.verifyWebhook(Buffer.from(payload), forged)).toThrow(
      expect.objectContaining({ code: 'billing.webhook_signature_invalid' }),
    );
    expect(() => gateway.verifyWebhook(Buffer.from(payload), 'garbage')).toThrow(
      expect.objectContaining({ code: 'billing.webhook_signature_invalid' }),
    );
  });
});
