import { z } from 'zod';
import { AccountStatus } from '@crm/contracts';

/** An account's lifecycle status as the public API names it. */
export const accountStatusView = z.enum(['provisioning', 'active', 'paused', 'closing', 'closed', 'purged']);
export type AccountStatusName = z.infer<typeof accountStatusView>;

const names: Record<AccountStatus, AccountStatusName | undefined> = {
  [AccountStatus.UNSPECIFIED]: undefined,
  [AccountStatus.PROVISIONING]: 'provisioning',
  [AccountStatus.ACTIVE]: 'active',
  [AccountStatus.PAUSED]: 'paused',
  [AccountStatus.CLOSING]: 'closing',
  [AccountStatus.CLOSED]: 'closed',
  [AccountStatus.PURGED]: 'purged',
};

/** The API name of a status from an internal API; undefined for one this build does not know. */
export const accountStatusName = (status: AccountStatus): AccountStatusName | undefined => names[status];
