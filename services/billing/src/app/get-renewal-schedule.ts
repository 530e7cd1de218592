import { ApplicationFailure } from '@temporalio/common';
import type { RenewalSchedule } from '@crm/workflows/messages';
import { subscriptionsRepository } from '../adapters/subscriptions.repository';
import { renewsAt } from '../domain/subscription';
import type { BillingDeps } from '../deps';

/** For the subscription workflow: where the subscription stands and when it next renews. */
export async function getRenewalSchedule(deps: BillingDeps, input: { accountId: string }): Promise<RenewalSchedule> {
  const subscription = await subscriptionsRepository.find(deps.db.pool, input.accountId);
  if (!subscription) {
    // The workflow starts from the subscription's own event, so the row exists; retrying covers a lagging replica.
    throw ApplicationFailure.retryable(
      `account ${input.accountId} has no subscription yet`,
      'billing.subscription_missing',
    );
  }
  return {
    status: subscription.status,
    planId: subscription.planId,
    interval: subscription.interval,
    renewsAt: renewsAt(subscription).toISOString(),
    pendingChange: subscription.pendingChange && {
      planId: subscription.pendingChange.planId,
      interval: subscription.pendingChange.interval,
    },
  };
}
