import { accountEvents, type PayloadOf } from '@crm/contracts';
import { defineConsumer } from '@crm/platform/messaging';
import { changeAccountStatus } from '../app/change-account-status';
import type { AccountStatus } from '../domain/user';
import type { IdentityDeps } from '../deps';

const statuses: Record<string, AccountStatus> = {
  ACCOUNT_STATUS_PROVISIONING: 'provisioning',
  ACCOUNT_STATUS_ACTIVE: 'active',
  ACCOUNT_STATUS_PAUSED: 'paused',
  ACCOUNT_STATUS_CLOSING: 'closing',
  ACCOUNT_STATUS_CLOSED: 'closed',
  ACCOUNT_STATUS_PURGED: 'purged',
};

export const accountStatusChangedConsumer = defineConsumer<PayloadOf<typeof accountEvents.statusChanged>, IdentityDeps>(
  {
    name: 'identity.account-status',
    event: accountEvents.statusChanged,
    handle: async (tx, { payload, accountId }) => {
      const status = statuses[String(payload.to)];
      if (!status) throw new Error(`account ${accountId}: unknown status ${String(payload.to)}`);
      await changeAccountStatus(tx, { accountId, status });
    },
  },
);
