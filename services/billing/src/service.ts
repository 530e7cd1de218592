import path from 'node:path';
import type { ServiceDefinition } from '@crm/platform/service';
import { provisioningActivities } from './activities/provisioning.activities';
import { subscriptionActivities } from './activities/subscription.activities';
import { createStripeGateway } from './adapters/stripe';
import type { BillingSettings } from './config';
import { accountCreatedConsumer } from './consumers/account-created.consumer';
import { subscriptionCreatedConsumer } from './consumers/subscription-created.consumer';
import type { BillingDeps } from './deps';
import { billingRoutes } from './rpc/billing.rpc';

/**
 * The billing service. `name` is also its Temporal task queue (hosting the subscription workflows and billing's
 * activities) and Kafka consumer group: `billing`, except in tests that run a private copy beside the real one.
 */
export function createBillingService(settings: BillingSettings, name = 'billing'): ServiceDefinition<BillingDeps> {
  return {
    name,
    migrationsDir: path.join(__dirname, '../migrations'),
    buildDeps: ({ db, temporal, logger }) => ({
      db,
      temporal,
      logger,
      settings,
      payments: createStripeGateway(settings.stripe),
      now: () => new Date(),
      taskQueue: name,
    }),
    consumers: [accountCreatedConsumer, subscriptionCreatedConsumer],
    activities: (deps) => ({ ...provisioningActivities(deps), ...subscriptionActivities(deps) }),
    workflowsPath: require.resolve('@crm/workflows'),
    routes: billingRoutes,
  };
}
