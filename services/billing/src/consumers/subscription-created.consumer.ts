import { billingEvents } from '@crm/contracts';
import { defineConsumer } from '@crm/platform/messaging';
import { startSubscriptionWorkflow } from '../app/start-subscription-workflow';
import type { BillingDeps } from '../deps';

/** Billing's own billing.subscription.created.v1 starts the account's subscription workflow. */
export const subscriptionCreatedConsumer = defineConsumer<unknown, BillingDeps>({
  name: 'billing.start-subscription-workflow',
  event: billingEvents.subscriptionCreated,
  handle: (_tx, event, deps) => startSubscriptionWorkflow(deps, { accountId: event.accountId }),
});
