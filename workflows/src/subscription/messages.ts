import { ApplicationFailure, defineQuery, defineUpdate } from '@temporalio/workflow';
import type {
  ActorRef,
  CanceledPlanChange,
  Interval,
  PlanChangeRequest,
  PlanChangeResult,
  SubscriptionState,
} from './activities';

export interface SubscriptionInput {
  accountId: string;
  /** Carried over from the previous run (the workflow continues as new after every period). */
  renewals?: number;
  lastRenewal?: SubscriptionWorkflowStatus['lastRenewal'];
  awaitingDunning?: string;
}

export type SubscriptionPhase = 'waiting' | 'renewing' | 'changing_plan' | 'ended';

export interface SubscriptionWorkflowStatus {
  accountId: string;
  phase: SubscriptionPhase;
  state: SubscriptionState | undefined;
  planId: string | undefined;
  interval: Interval | undefined;
  renewsAt: string | undefined;
  pendingChange: { planId: string; interval: Interval } | undefined;
  renewals: number;
  lastRenewal: { invoiceId: string; periodStart: string; paid: boolean; failureCode?: string } | undefined;
  /**
   * The unpaid renewal invoice handed over to dunning (PRODUCT.md §6). Until the dunning workflow exists it is
   * recorded here, on the invoice (open, with its failure) and as billing.invoice.payment_failed.v1.
   */
  awaitingDunning: string | undefined;
}

export const subscriptionStatusQuery = defineQuery<SubscriptionWorkflowStatus>('subscriptionStatus');
export const planChangeUpdate = defineUpdate<PlanChangeResult, [PlanChangeRequest]>('planChange');
export const cancelPlanChangeUpdate = defineUpdate<CanceledPlanChange, [{ actor: ActorRef }]>('cancelPlanChange');

export const subscriptionWorkflowId = (accountId: string) => `subscription-${accountId}`;
export const SUBSCRIPTION_TASK_QUEUE = 'billing';
/** The idempotency key of one charge attempt of an invoice (ARCHITECTURE.md rule 4). */
export const chargeAttemptKey = (invoiceId: string, attempt: number) => `${invoiceId}:attempt:${attempt}`;

const PLAN_ID = /^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/;

/**
 * The update validator: rejects a malformed request before it enters the workflow's history. (Whether the plan
 * exists, and what it costs, is the activity's business.) Throws a `validation.failed` ApplicationFailure.
 */
export function validatePlanChangeRequest(request: PlanChangeRequest): void {
  const fieldErrors: { field: string; message: string; code: string }[] = [];
  if (typeof request?.planId !== 'string' || !PLAN_ID.test(request.planId)) {
    fieldErrors.push({
      field: 'planId',
      message: 'planId must be a plan slug such as "unlimited"',
      code: 'invalid_format',
    });
  }
  if (request?.interval !== 'month' && request?.interval !== 'year') {
    fieldErrors.push({ field: 'interval', message: 'interval must be "month" or "year"', code: 'invalid_value' });
  }
  if (typeof request?.requestKey !== 'string' || request.requestKey.length === 0 || request.requestKey.length > 255) {
    fieldErrors.push({ field: 'requestKey', message: 'requestKey must be 1–255 characters', code: 'invalid_format' });
  }
  if (request?.prorationDate !== undefined && Number.isNaN(Date.parse(request.prorationDate))) {
    fieldErrors.push({
      field: 'prorationDate',
      message: 'prorationDate must be an ISO 8601 instant',
      code: 'invalid_format',
    });
  }
  if (fieldErrors.length > 0) {
    throw ApplicationFailure.create({
      type: 'validation.failed',
      message: fieldErrors.map((error) => error.message).join('; '),
      nonRetryable: true,
      details: [undefined, fieldErrors],
    });
  }
}
