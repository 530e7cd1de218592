import path from 'node:path';
import type { ServiceDefinition } from '@crm/platform/service';
import { provisioningActivities } from './activities/provisioning.activities';
import { accountCreatedConsumer } from './consumers/account-created.consumer';
import type { AccountDeps } from './deps';
import { accountRoutes } from './rpc/account.rpc';

export const accountService: ServiceDefinition<AccountDeps> = {
  name: 'account',
  migrationsDir: path.join(__dirname, '../migrations'),
  buildDeps: ({ db, temporal }) => ({ db, temporal, now: () => new Date() }),
  consumers: [accountCreatedConsumer],
  activities: provisioningActivities,
  workflowsPath: require.resolve('@crm/workflows'),
  routes: accountRoutes,
};
