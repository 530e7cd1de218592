import {
  WorkflowExecutionAlreadyStartedError,
  WorkflowIdReusePolicy,
  WorkflowNotFoundError,
  type Client,
} from '@temporalio/client';
import { inviteWorkflow } from '@crm/workflows';
import {
  INVITE_TASK_QUEUE,
  invitationAcceptedSignal,
  invitationResentSignal,
  invitationRevokedSignal,
  inviteWorkflowId,
  type InviteInput,
} from '@crm/workflows/messages';
import { searchAttributesForAccount } from '@crm/platform/temporal';
import type { Logger } from '@crm/platform';
import type { IdentityOptions } from '../config';

export interface InviteWorkflows {
  /** Starts `invite-<id>`; a second start (a redelivered event) is a no-op. */
  start(ref: { accountId: string; invitationId: string; generation: number }): Promise<void>;
  accepted(invitationId: string): Promise<void>;
  /** Best effort: a missed revoke signal is caught by the workflow's next step, which reads the state. */
  revoked(invitationId: string): Promise<void>;
  /** Signals the new generation, starting a new run when the last one has ended (an expired invitation resent). */
  resent(ref: { accountId: string; invitationId: string; generation: number }): Promise<void>;
}

export function inviteWorkflows(
  temporal: Client,
  options: IdentityOptions,
  logger: Logger,
  taskQueue = INVITE_TASK_QUEUE,
): InviteWorkflows {
  const input = (ref: { accountId: string; invitationId: string; generation: number }): InviteInput => ({
    ...ref,
    expiresInMs: options.invite.expiresInMs,
    remindAfterMs: options.invite.remindAfterMs,
  });
  const common = (ref: { accountId: string; invitationId: string }) => ({
    workflowId: inviteWorkflowId(ref.invitationId),
    taskQueue,
    typedSearchAttributes: searchAttributesForAccount(ref.accountId),
  });
  return {
    async start(ref) {
      try {
        await temporal.workflow.start(inviteWorkflow, {
          ...common(ref),
          workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
          args: [input(ref)],
        });
      } catch (error) {
        if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
      }
    },
    async accepted(invitationId) {
      try {
        await temporal.workflow.getHandle(inviteWorkflowId(invitationId)).signal(invitationAcceptedSignal);
      } catch (error) {
        // Already over (it found the acceptance itself): nothing left to tell it.
        if (!(error instanceof WorkflowNotFoundError)) throw error;
      }
    },
    async revoked(invitationId) {
      await temporal.workflow
        .getHandle(inviteWorkflowId(invitationId))
        .signal(invitationRevokedSignal)
        .catch((error: unknown) =>
          logger.warn(
            { err: error, invitationId },
            'revoke signal not delivered; the workflow will see the revocation at its next step',
          ),
        );
    },
    async resent(ref) {
      await temporal.workflow.signalWithStart(inviteWorkflow, {
        ...common(ref),
        workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
        args: [input(ref)],
        signal: invitationResentSignal,
        signalArgs: [{ generation: ref.generation }],
      });
    },
  };
}
