import type { IdentityProvisioningActivities } from '@crm/workflows/messages';
import { confirmRegistration } from '../app/confirm-registration';
import type { IdentityDeps } from '../deps';

export const provisioningActivities = (deps: IdentityDeps): IdentityProvisioningActivities => ({
  confirmIdentityRegistration: (input) => confirmRegistration(deps, input),
});
