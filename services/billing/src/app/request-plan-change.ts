import { createHash, randomUUID } from 'node:crypto';
import { WorkflowNotFoundError } from '@temporalio/client';
import {
  cancelPlanChangeUpdate,
  planChangeUpdate,
  subscriptionWorkflowId,
  type ActorRef,
  type CanceledPlanChange,
  type PlanChangeResult,
} from '@crm/workflows/messages';
import { DomainError, fromTemporalFailure, isDomainError, isErrorCode, type ErrorCode } from '@crm/platform/errors';
import { idempotencyRepository } from '../adapters/idempotency.repository';
import { plansRepository } from '../adapters/plans.repository';
import type { BillingInterval } from '../domain/periods';
import { priceOf } from '../domain/plan';
import type { BillingDeps } from '../deps';

export interface RequestPlanChange {
  accountId: string;
  planId: string;
  interval: BillingInterval;
  actor: ActorRef;
  /** The caller's Idempotency-Key; absent means the request is not deduplicated. */
  idempotencyKey: string | undefined;
  prorationDate: Date | undefined;
}

type StoredOutcome =
  | { result: PlanChangeResult }
  | { error: { code: ErrorCode; message: string; details?: Record<string, unknown> } };

/**
 * `POST /v1/billing/plan-change`: sends the change to the account's subscription workflow (the `planChange`
 * update) and waits for its outcome. With an Idempotency-Key the outcome (success or refusal) is stored: a repeat
 * returns it without sending the update again. No database connection is held while the workflow works.
 */
export async function requestPlanChange(deps: BillingDeps, command: RequestPlanChange): Promise<PlanChangeResult> {
  priceOf(await plansRepository.find(deps.db.pool, command.planId), command.planId, command.interval); // a clear 422 before any workflow work
  const update = (requestKey: string) => sendPlanChange(deps, command, requestKey);
  if (!command.idempotencyKey) return update(randomUUID());

  const scope = `billing.plan-change:${command.accountId}`;
  const key = command.idempotencyKey;
  const requestHash = createHash('sha256')
    .update(JSON.stringify([command.planId, command.interval, command.prorationDate?.toISOString() ?? null]))
    .digest('hex');
  await idempotencyRepository.claim(deps.db.pool, scope, key, requestHash);
  const record = await idempotencyRepository.find<StoredOutcome>(deps.db.pool, scope, key);
  if (!record) throw new Error(`idempotency record ${key} vanished`);
  if (record.requestHash !== requestHash) {
    throw new DomainError(
      'idempotency.key_reused',
      { key },
      { message: 'this Idempotency-Key was used for a different plan change' },
    );
  }
  let stored = record.status === 'completed' ? record.response : undefined;
  if (!stored) {
    // First time, a concurrent repeat, or a repeat after a crash: the change itself is idempotent on the request key
    // (one update id, one proration invoice, one charge key), so running it again resumes it and never charges twice.
    try {
      stored = { result: await update(`${command.accountId}:${key}`) };
    } catch (error) {
      if (!isDomainError(error) || error.retryable) throw error; // not an answer: the key stays open for a retry
      stored = { error: { code: error.code, message: error.message, details: error.details } };
    }
    await idempotencyRepository.complete(deps.db.pool, scope, key, stored);
  }
  if ('result' in stored) return stored.result;
  if (!isErrorCode(stored.error.code)) throw new Error(`stored outcome has unknown code ${stored.error.code}`);
  throw new DomainError(stored.error.code, stored.error.details, { message: stored.error.message });
}

/** `DELETE /v1/billing/plan-change`: the workflow's `cancelPlanChange` update. */
export async function requestPlanChangeCancellation(
  deps: BillingDeps,
  input: { accountId: string; actor: ActorRef },
): Promise<CanceledPlanChange> {
  return withWorkflowErrors(input.accountId, () =>
    deps.temporal.workflow
      .getHandle(subscriptionWorkflowId(input.accountId))
      .executeUpdate(cancelPlanChangeUpdate, { args: [{ actor: input.actor }] }),
  );
}

function sendPlanChange(deps: BillingDeps, command: RequestPlanChange, requestKey: string): Promise<PlanChangeResult> {
  return withWorkflowErrors(command.accountId, () =>
    deps.temporal.workflow.getHandle(subscriptionWorkflowId(command.accountId)).executeUpdate(planChangeUpdate, {
      // The same request sent again while the workflow run is the same is deduplicated by Temporal too.
      updateId: `plan-change:${requestKey}`,
      args: [
        {
          planId: command.planId,
          interval: command.interval,
          requestKey,
          prorationDate: command.prorationDate?.toISOString(),
          actor: command.actor,
        },
      ],
    }),
  );
}

/** The DomainError a workflow update failed with (card declined, no pending change…), or not found for a missing workflow. */
async function withWorkflowErrors<T>(accountId: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) {
      throw new DomainError('resource.not_found', { accountId }, { message: 'the account has no subscription' });
    }
    throw fromTemporalFailure(error) ?? error;
  }
}
