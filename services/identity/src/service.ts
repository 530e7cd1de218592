import path from 'node:path';
import type { ServiceDefinition } from '@crm/platform/service';
import { provisioningActivities } from './activities/provisioning.activities';
import { accountCreatedConsumer } from './consumers/account-created.consumer';
import type { IdentityDeps } from './deps';
import { identityRoutes } from './rpc/identity.rpc';

export const identityService: ServiceDefinition<IdentityDeps> = {
  name: 'identity',
  migrationsDir: path.join(__dirname, '../migrations'),
  buildDeps: ({ db }) => ({ db, now: () => new Date() }),
  consumers: [accountCreatedConsumer],
  activities: provisioningActivities,
  routes: identityRoutes,
};
