import { WorkflowExecutionAlreadyStartedError, WorkflowIdReusePolicy } from '@temporalio/client';
import { subscriptionWorkflow } from '@crm/workflows';
import { subscriptionWorkflowId } from '@crm/workflows/messages';
import { searchAttributesForAccount } from '@crm/platform/temporal';
import type { BillingDeps } from '../deps';

/**
 * Starts `subscription-<accountId>`. Called from billing's own subscription.created consumer, so a crash after
 * the subscription's transaction still starts it (the event is redelivered); a second start is a no-op.
 */
export async function startSubscriptionWorkflow(deps: BillingDeps, input: { accountId: string }): Promise<void> {
  try {
    await deps.temporal.workflow.start(subscriptionWorkflow, {
      workflowId: subscriptionWorkflowId(input.accountId),
      taskQueue: deps.taskQueue,
      workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
      args: [{ accountId: input.accountId }],
      typedSearchAttributes: searchAttributesForAccount(input.accountId),
    });
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
  }
}
