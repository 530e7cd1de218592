import path from 'node:path';
import type { ServiceDefinition } from '@crm/platform/service';
import { provisioningActivities } from './activities/provisioning.activities';
import { accountCreatedConsumer } from './consumers/account-created.consumer';
import type { BillingDeps } from './deps';
import { billingRoutes } from './rpc/billing.rpc';

export const billingService: ServiceDefinition<BillingDeps> = {
  name: 'billing',
  migrationsDir: path.join(__dirname, '../migrations'),
  buildDeps: ({ db }) => ({ db, now: () => new Date() }),
  consumers: [accountCreatedConsumer],
  activities: provisioningActivities,
  routes: billingRoutes,
};
