import { proxyActivities, setHandler } from '@temporalio/workflow';
import type {
  AccountProvisioningActivities,
  AccountRef,
  BillingProvisioningActivities,
  IdentityProvisioningActivities,
} from './activities';
import { provisioningStatusQuery, type ProvisioningStatus } from './messages';

// A service that has not consumed `account.account.created.v1` yet answers "not yet": retry patiently.
const untilRegistered = {
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '500 milliseconds', backoffCoefficient: 2, maximumInterval: '30 seconds' },
} as const;

const identity = proxyActivities<IdentityProvisioningActivities>({ taskQueue: 'identity', ...untilRegistered });
const billing = proxyActivities<BillingProvisioningActivities>({ taskQueue: 'billing', ...untilRegistered });
const account = proxyActivities<AccountProvisioningActivities>({ taskQueue: 'account', startToCloseTimeout: '30 seconds' });

/**
 * A new account becomes `active` once every service that owns part of it has recorded it.
 * Id `provisioning-<accountId>`, started by the account service when it sees its own `account.account.created.v1`.
 */
export async function accountProvisioningWorkflow(input: AccountRef): Promise<ProvisioningStatus> {
  const status: ProvisioningStatus = {
    accountId: input.accountId,
    phase: 'waiting_for_services',
    identityReady: false,
    billingReady: false,
  };
  setHandler(provisioningStatusQuery, () => status);

  await Promise.all([
    identity.confirmIdentityRegistration(input).then(() => {
      status.identityReady = true;
    }),
    billing.confirmBillingRegistration(input).then(() => {
      status.billingReady = true;
    }),
  ]);
  status.phase = 'activating';
  await account.activateAccount(input);
  status.phase = 'active';
  return status;
}
