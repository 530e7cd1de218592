import { randomUUID } from 'node:crypto';
import type { EventActor } from '@crm/contracts';
import { DomainError, validationError } from '@crm/platform/errors';
import { appendToOutbox } from '@crm/platform/messaging';
import { billingAccountsRepository } from '../adapters/billing-accounts.repository';
import { customPlanRequestsRepository } from '../adapters/custom-plan-requests.repository';
import { subscriptionsRepository } from '../adapters/subscriptions.repository';
import type { BillingDeps } from '../deps';
import { customPlanRequested } from './events';

/** "Book a call" about a custom plan or add-ons: stored and announced for sales. Idempotent on the request key. */
export async function requestCustomPlan(
  deps: BillingDeps,
  input: { accountId: string; message: string; actor: EventActor; requestKey: string | undefined },
): Promise<{ id: string; createdAt: Date }> {
  const message = input.message.trim();
  if (message.length < 10 || message.length > 2000) {
    throw validationError([
      { field: 'message', message: 'message must be 10 to 2000 characters: tell sales what you need', code: 'length' },
    ]);
  }
  return deps.db.transaction(async (tx) => {
    if (input.requestKey) {
      const earlier = await customPlanRequestsRepository.findByRequestKey(tx, input.accountId, input.requestKey);
      if (earlier) return { id: earlier.id, createdAt: earlier.createdAt };
    }
    const account = await billingAccountsRepository.find(tx, input.accountId);
    if (!account)
      throw new DomainError(
        'resource.not_found',
        { accountId: input.accountId },
        { message: 'billing does not know this account' },
      );
    const subscription = await subscriptionsRepository.find(tx, input.accountId);
    const request = {
      id: randomUUID(),
      accountId: input.accountId,
      message,
      requestedBy: `${input.actor.kind}:${input.actor.id}`,
      requestKey: input.requestKey,
      createdAt: deps.now(),
    };
    if (!(await customPlanRequestsRepository.insert(tx, request)) && input.requestKey) {
      const winner = await customPlanRequestsRepository.findByRequestKey(tx, input.accountId, input.requestKey);
      if (winner) return { id: winner.id, createdAt: winner.createdAt };
    }
    await appendToOutbox(
      tx,
      customPlanRequested(
        input.accountId,
        { ...request, billingEmail: account.billingEmail, planId: subscription?.planId ?? '' },
        input.actor,
      ),
    );
    return { id: request.id, createdAt: request.createdAt };
  });
}
