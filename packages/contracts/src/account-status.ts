import { AccountStatus } from './gen/crm/account/v1/account_pb';

/** An account's lifecycle status by name, as services store it and the public API shows it. */
export type AccountStatusName = 'provisioning' | 'active' | 'paused' | 'closing' | 'closed' | 'purged';

export const accountStatusNames: readonly AccountStatusName[] = [
  'provisioning',
  'active',
  'paused',
  'closing',
  'closed',
  'purged',
];

const toProto: Record<AccountStatusName, AccountStatus> = {
  provisioning: AccountStatus.PROVISIONING,
  active: AccountStatus.ACTIVE,
  paused: AccountStatus.PAUSED,
  closing: AccountStatus.CLOSING,
  closed: AccountStatus.CLOSED,
  purged: AccountStatus.PURGED,
};

/** The wire enum of a status name (internal APIs and events). */
export const accountStatusToProto = (status: AccountStatusName): AccountStatus => toProto[status];

/** The name of a wire status; undefined for UNSPECIFIED or a value this build does not know. */
export const accountStatusFromProto = (status: AccountStatus): AccountStatusName | undefined =>
  accountStatusNames.find((name) => toProto[name] === status);
