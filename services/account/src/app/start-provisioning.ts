import { WorkflowExecutionAlreadyStartedError, WorkflowIdReusePolicy } from '@temporalio/client';
import { accountProvisioningWorkflow } from '@crm/workflows';
import { PROVISIONING_TASK_QUEUE, provisioningWorkflowId } from '@crm/workflows/messages';
import { searchAttributesForAccount } from '@crm/platform/temporal';
import type { AccountDeps } from '../deps';

/**
 * Starts `provisioning-<accountId>`. Called from this service's own account.created consumer, so a crash
 * after the account's transaction still starts it (the event is redelivered); a second start is a no-op.
 */
export async function startProvisioning(deps: AccountDeps, input: { accountId: string }): Promise<void> {
  try {
    await deps.temporal.workflow.start(accountProvisioningWorkflow, {
      workflowId: provisioningWorkflowId(input.accountId),
      taskQueue: PROVISIONING_TASK_QUEUE,
      workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
      args: [{ accountId: input.accountId }],
      typedSearchAttributes: searchAttributesForAccount(input.accountId),
    });
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
  }
}
