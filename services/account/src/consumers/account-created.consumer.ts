import { accountEvents } from '@crm/contracts';
import { defineConsumer } from '@crm/platform/messaging';
import { startProvisioning } from '../app/start-provisioning';
import type { AccountDeps } from '../deps';

export const accountCreatedConsumer = defineConsumer<unknown, AccountDeps>({
  name: 'account.start-provisioning',
  event: accountEvents.created,
  handle: (_tx, event, deps) => startProvisioning(deps, { accountId: event.accountId }),
});
