import type { BillingProvisioningActivities } from '@crm/workflows/messages';
import { confirmRegistration } from '../app/confirm-registration';
import type { BillingDeps } from '../deps';

export const provisioningActivities = (deps: BillingDeps): BillingProvisioningActivities => ({
  confirmBillingRegistration: (input) => confirmRegistration(deps, input),
});
