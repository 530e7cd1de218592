import type { ActorRef, CanceledPlanChange } from '@crm/workflows/messages';
import { DomainError } from '@crm/platform/errors';
import { appendToOutbox } from '@crm/platform/messaging';
import { subscriptionsRepository } from '../adapters/subscriptions.repository';
import type { BillingDeps } from '../deps';
import { planChangeCanceled } from './events';

/** Cancels the scheduled plan change (the workflow's `cancelPlanChange` update runs it); `billing.no_pending_change` when there is none. */
export async function cancelPlanChange(
  deps: BillingDeps,
  input: { accountId: string; actor: ActorRef },
): Promise<CanceledPlanChange> {
  return deps.db.transaction(async (tx) => {
    const subscription = await subscriptionsRepository.lock(tx, input.accountId);
    const pending = subscription?.pendingChange;
    if (!subscription || !pending) {
      throw new DomainError(
        'billing.no_pending_change',
        { accountId: input.accountId },
        { message: 'no plan change is scheduled' },
      );
    }
    await subscriptionsRepository.save(tx, { ...subscription, pendingChange: undefined }, deps.now());
    await appendToOutbox(
      tx,
      planChangeCanceled(subscription.accountId, pending, subscription.currentPeriodEnd, 'canceled', {
        ...input.actor,
      }),
    );
    return {
      planId: pending.planId,
      interval: pending.interval,
      effectiveAt: subscription.currentPeriodEnd.toISOString(),
    };
  });
}
