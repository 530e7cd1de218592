import type { BillingSubscriptionActivities } from '@crm/workflows/messages';
import { asActivityFailure } from '@crm/platform/errors';
import { cancelPlanChange } from '../app/cancel-plan-change';
import { changePlan } from '../app/change-plan';
import { chargeInvoice } from '../app/charge-invoice';
import { getRenewalSchedule } from '../app/get-renewal-schedule';
import { renewSubscription } from '../app/renew-subscription';
import type { BillingDeps } from '../deps';

/** The subscription workflow's steps: thin doors onto billing's use cases. */
export const subscriptionActivities = (deps: BillingDeps): BillingSubscriptionActivities => ({
  getRenewalSchedule: asActivityFailure((input) => getRenewalSchedule(deps, input)),
  renewSubscription: asActivityFailure((input) => renewSubscription(deps, input)),
  chargeInvoice: asActivityFailure((input) => chargeInvoice(deps, input)),
  changePlan: asActivityFailure((input) => changePlan(deps, input)),
  cancelPlanChange: asActivityFailure((input) => cancelPlanChange(deps, input)),
});
