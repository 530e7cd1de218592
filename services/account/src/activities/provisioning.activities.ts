import type { AccountProvisioningActivities } from '@crm/workflows/messages';
import { asActivityFailure } from '@crm/platform/errors';
import { activateAccount } from '../app/activate-account';
import type { AccountDeps } from '../deps';

export const provisioningActivities = (deps: AccountDeps): AccountProvisioningActivities => ({
  activateAccount: asActivityFailure((input) => activateAccount(deps, input)),
});
