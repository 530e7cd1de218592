import type { BillingDeps } from '../deps';
import { ensureStripeCustomer } from './ensure-stripe-customer';

/** A SetupIntent for the browser to collect a card with Stripe.js (the publishable key comes with it). */
export async function createSetupIntent(deps: BillingDeps, input: { accountId: string }) {
  const customerId = await ensureStripeCustomer(deps, input.accountId);
  const intent = await deps.payments.createSetupIntent(customerId, input.accountId);
  return {
    setupIntentId: intent.id,
    clientSecret: intent.clientSecret,
    publishableKey: deps.settings.stripe.publishableKey,
  };
}
