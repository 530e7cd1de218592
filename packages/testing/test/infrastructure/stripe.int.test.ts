import Stripe from 'stripe';
import { stackEnv } from '@crm/testing';

const SUCCEEDS = '4242424242424242';
const DECLINES_OFF_SESSION = '4000000000000341';

function emulatorClient(): Stripe {
  const base = new URL(stackEnv().STRIPE_API_BASE);
  return new Stripe('sk_test_local_emulator', {
    host: base.hostname,
    port: Number(base.port),
    protocol: base.protocol === 'https:' ? 'https' : 'http',
    maxNetworkRetries: 0,
  });
}

describe('Stripe emulator through the official SDK', () => {
  const stripe = emulatorClient();

  async function customerWithCard(number: string) {
    const customer = await stripe.customers.create({ email: `billing+${Date.now()}@acme.test`, name: 'Acme Dental' });
    const paymentMethod = await stripe.paymentMethods.create({
      type: 'card',
      card: { number, exp_month: 12, exp_year: new Date().getFullYear() + 2, cvc: '123' },
    });
    await stripe.paymentMethods.attach(paymentMethod.id, { customer: customer.id });
    return { customer, paymentMethod };
  }

  it('creates a customer and a card PaymentMethod from a test card number', async () => {
    const { customer, paymentMethod } = await customerWithCard(SUCCEEDS);
    expect(customer.id).toMatch(/^cus_/);
    expect(paymentMethod.card).toMatchObject({ last4: '4242', exp_month: 12 });
    const attached = await stripe.paymentMethods.retrieve(paymentMethod.id);
    expect(attached.customer).toBe(customer.id);
  });

  it('charges a good card off-session', async () => {
    const { customer, paymentMethod } = await customerWithCard(SUCCEEDS);
    const intent = await stripe.paymentIntents.create({
      amount: 9700,
      currency: 'usd',
      customer: customer.id,
      payment_method: paymentMethod.id,
      off_session: true,
      confirm: true,
    });
    expect(intent).toMatchObject({ status: 'succeeded', amount: 9700, currency: 'usd' });
  });

  it('declines an off-session charge on the decline test card', async () => {
    const { customer, paymentMethod } = await customerWithCard(DECLINES_OFF_SESSION);
    const charge = stripe.paymentIntents.create({
      amount: 9700,
      currency: 'usd',
      customer: customer.id,
      payment_method: paymentMethod.id,
      off_session: true,
      confirm: true,
    });
    await expect(charge).rejects.toMatchObject({ type: 'StripeCardError', code: 'card_declined', statusCode: 402 });
  });
});
