import { allHandlersFinished, condition, continueAsNew, log, proxyActivities, setHandler } from '@temporalio/workflow';
import type { BillingSubscriptionActivities } from './activities';
import {
  cancelPlanChangeUpdate,
  chargeAttemptKey,
  planChangeUpdate,
  subscriptionStatusQuery,
  validatePlanChangeRequest,
  type SubscriptionInput,
  type SubscriptionPhase,
  type SubscriptionWorkflowStatus,
} from './messages';

// Renewals must eventually happen: retry infrastructure failures patiently (every activity is idempotent).
const billing = proxyActivities<BillingSubscriptionActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});
// A person waits for a plan change: a few tries, then a clear failure (a repeat with the same key resumes it).
const planChanges = proxyActivities<BillingSubscriptionActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumAttempts: 3 },
});

/**
 * One per account (`subscription-<accountId>`, on the `billing` task queue, started when billing opens the
 * subscription). It sleeps until the trial or the period ends, then renews: the next period (with a pending
 * downgrade applied exactly then), its invoice, and one off-session charge under `<invoiceId>:attempt:1`. A failed
 * charge is handed over to dunning. After each period it continues as new, so its history stays small.
 *
 * Plan changes arrive as the `planChange` update (validated first) and cancellations as `cancelPlanChange`; they
 * and renewals run one at a time. The subscription's state lives in billing's database; this workflow is its clock.
 */
export async function subscriptionWorkflow(input: SubscriptionInput): Promise<SubscriptionWorkflowStatus> {
  const { accountId } = input;
  const status: SubscriptionWorkflowStatus = {
    accountId,
    phase: 'waiting',
    state: undefined,
    planId: undefined,
    interval: undefined,
    renewsAt: undefined,
    pendingChange: undefined,
    renewals: input.renewals ?? 0,
    lastRenewal: input.lastRenewal,
    awaitingDunning: input.awaitingDunning,
  };
  let busy = false;
  let scheduleChanged = false;

  /** Renewals and plan changes of one account never overlap. */
  async function exclusively<T>(phase: SubscriptionPhase, work: () => Promise<T>): Promise<T> {
    await condition(() => !busy);
    busy = true;
    status.phase = phase;
    try {
      return await work();
    } finally {
      busy = false;
      status.phase = 'waiting';
    }
  }

  setHandler(subscriptionStatusQuery, () => status);
  setHandler(
    planChangeUpdate,
    (request) =>
      exclusively('changing_plan', async () => {
        const result = await planChanges.changePlan({ accountId, ...request });
        scheduleChanged = true;
        return result;
      }),
    { validator: validatePlanChangeRequest },
  );
  setHandler(cancelPlanChangeUpdate, ({ actor }) =>
    exclusively('changing_plan', async () => {
      const canceled = await planChanges.cancelPlanChange({ accountId, actor });
      scheduleChanged = true;
      return canceled;
    }),
  );

  /** The hand-over point to dunning (PRODUCT.md §6, the next issue starts `dunning-<invoiceId>` here). */
  function handOverToDunning(invoiceId: string, failureCode: string | undefined) {
    status.awaitingDunning = invoiceId;
    log.warn('renewal charge failed; the invoice stays open for dunning', { accountId, invoiceId, failureCode });
  }

  async function renew(periodEnd: string): Promise<boolean> {
    const outcome = await billing.renewSubscription({ accountId, periodEnd });
    if (!outcome.renewed) return false;
    status.renewals += 1;
    const charge = outcome.paid
      ? { paid: true }
      : await billing.chargeInvoice({
          accountId,
          invoiceId: outcome.invoiceId,
          idempotencyKey: chargeAttemptKey(outcome.invoiceId, 1),
        });
    status.lastRenewal = {
      invoiceId: outcome.invoiceId,
      periodStart: outcome.periodStart,
      paid: charge.paid,
      failureCode: charge.failureCode,
    };
    if (!charge.paid) handOverToDunning(outcome.invoiceId, charge.failureCode);
    else status.awaitingDunning = undefined;
    return true;
  }

  for (;;) {
    scheduleChanged = false;
    const schedule = await billing.getRenewalSchedule({ accountId });
    Object.assign(status, {
      state: schedule.status,
      planId: schedule.planId,
      interval: schedule.interval,
      renewsAt: schedule.renewsAt,
      pendingChange: schedule.pendingChange,
    });
    if (schedule.status === 'canceled') {
      status.phase = 'ended';
      await condition(allHandlersFinished);
      return status;
    }
    const wait = Date.parse(schedule.renewsAt) - Date.now();
    if (wait > 0 && (await condition(() => scheduleChanged, wait))) continue;
    if (!(await exclusively('renewing', () => renew(schedule.renewsAt)))) continue;
    await condition(allHandlersFinished);
    return continueAsNew<typeof subscriptionWorkflow>({
      accountId,
      renewals: status.renewals,
      lastRenewal: status.lastRenewal,
      awaitingDunning: status.awaitingDunning,
    });
  }
}
