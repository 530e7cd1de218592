import type { PlanChangeRequest, PlanChangeResult } from '@crm/workflows/messages';
import { chargeAttemptKey } from '@crm/workflows/messages';
import type { EventActor } from '@crm/contracts';
import { DomainError } from '@crm/platform/errors';
import { appendToOutbox } from '@crm/platform/messaging';
import { invoicesRepository } from '../adapters/invoices.repository';
import { paymentMethodsRepository } from '../adapters/payment-methods.repository';
import { subscriptionsRepository } from '../adapters/subscriptions.repository';
import { displayNumber, type Invoice } from '../domain/invoice';
import { applyImmediateChange } from '../domain/subscription';
import type { BillingDeps } from '../deps';
import { chargeInvoice } from './charge-invoice';
import { planChangeApplied, planChangeCanceled, planChangeScheduled, subscriptionChanged } from './events';
import { issueInvoice } from './issue-invoice';
import { priceQuote, prorationInstant } from './plan-change-quote';

export type ChangePlan = PlanChangeRequest & { accountId: string };

/**
 * A plan change (the subscription workflow's `planChange` update runs it, one at a time per account):
 * - during the trial: applied at once, nothing to pay;
 * - a downgrade: scheduled for the end of the period (replacing any earlier scheduled change);
 * - an upgrade: a proration invoice (credit + charge, the exact lines of the preview at the same instant) charged
 *   off-session at once; the plan changes only when it is paid. A declined card voids the invoice, leaves the plan
 *   as it was and fails with `billing.card_declined` (or `billing.no_payment_method`).
 * Idempotent on `requestKey`: a repeat finds the invoice the request made and never charges it twice.
 */
export async function changePlan(deps: BillingDeps, command: ChangePlan): Promise<PlanChangeResult> {
  const actor: EventActor = { kind: command.actor.kind, id: command.actor.id };
  const prepared = await deps.db.transaction(async (tx) => {
    const earlier = await invoicesRepository.findByRequestKey(tx, command.accountId, command.requestKey);
    const at = earlier
      ? (earlier.lines[0]?.periodStart ?? earlier.createdAt)
      : prorationInstant(command.prorationDate, deps.now(), deps.settings.prorationDateMaxAge);
    const priced = await priceQuote(tx, {
      accountId: command.accountId,
      planId: command.planId,
      interval: command.interval,
      at,
      lock: true,
    }).catch((error: unknown) => {
      // A repeat of a request that was applied: the subscription is already on the target plan.
      if (earlier?.status === 'paid' && error instanceof DomainError && error.code === 'billing.same_plan')
        return undefined;
      throw error;
    });
    if (!priced) return { done: appliedResult(command, at, earlier) };
    const { subscription, target, quote } = priced;
    const now = deps.now();

    if (subscription.status === 'trialing') {
      const changed = applyImmediateChange(subscription, target, quote);
      await subscriptionsRepository.save(tx, changed, now);
      await appendToOutbox(
        tx,
        planChangeApplied(
          subscription.accountId,
          { from: subscription, to: target, effectiveAt: quote.effectiveAt, kind: quote.kind, invoiceId: undefined },
          actor,
        ),
        subscriptionChanged(changed, 'plan_changed_in_trial', actor),
      );
      return { done: result('applied', quote.kind, quote.effectiveAt, target, undefined, 0) };
    }

    if (!quote.immediate) {
      const replaced = subscription.pendingChange;
      await subscriptionsRepository.save(
        tx,
        { ...subscription, pendingChange: { planId: target.planId, interval: target.interval, requestedAt: now } },
        now,
      );
      if (replaced)
        await appendToOutbox(
          tx,
          planChangeCanceled(subscription.accountId, replaced, subscription.currentPeriodEnd, 'replaced', actor),
        );
      await appendToOutbox(
        tx,
        planChangeScheduled(subscription.accountId, subscription, target, quote.effectiveAt, actor),
      );
      return { done: result('scheduled', 'downgrade', quote.effectiveAt, target, undefined, 0) };
    }

    if (earlier && earlier.status !== 'open' && earlier.status !== 'paid') throw declined(earlier);
    if (!earlier && !(await paymentMethodsRepository.findDefault(tx, command.accountId))) {
      throw new DomainError(
        'billing.no_payment_method',
        { accountId: command.accountId },
        { message: 'add a card before upgrading: the upgrade is charged at once' },
      );
    }
    const invoice =
      earlier ??
      (await issueInvoice(
        tx,
        {
          accountId: command.accountId,
          kind: 'proration',
          currency: quote.currency,
          lines: priced.lines,
          periodStart: quote.effectiveAt,
          periodEnd: quote.newPeriod?.end ?? subscription.currentPeriodEnd,
          requestKey: command.requestKey,
        },
        now,
        actor,
      ));
    return { invoice, at };
  });
  if (prepared.done) return prepared.done;

  const charge = await chargeInvoice(deps, {
    accountId: command.accountId,
    invoiceId: prepared.invoice.id,
    idempotencyKey: chargeAttemptKey(prepared.invoice.id, 1),
  });

  if (!charge.paid) {
    // The upgrade did not happen, so nothing is owed: the invoice is voided (committed), then the refusal is reported.
    const voided = await deps.db.transaction(async (tx) => {
      const invoice = await invoicesRepository.lock(tx, command.accountId, prepared.invoice.id);
      if (invoice?.status === 'open') await invoicesRepository.setStatus(tx, invoice.accountId, invoice.id, 'void');
      return invoice ?? prepared.invoice;
    });
    throw declined(voided, charge.failureCode, charge.declineCode, charge.message);
  }

  return deps.db.transaction(async (tx) => {
    const invoice = await invoicesRepository.lock(tx, command.accountId, prepared.invoice.id);
    if (!invoice) throw new Error(`invoice ${prepared.invoice.id} vanished`);
    const { subscription, target, quote } = await priceQuote(tx, {
      accountId: command.accountId,
      planId: command.planId,
      interval: command.interval,
      at: prepared.at,
      lock: true,
    });
    const changed = applyImmediateChange(subscription, target, quote);
    await subscriptionsRepository.save(tx, changed, deps.now());
    await appendToOutbox(
      tx,
      planChangeApplied(
        subscription.accountId,
        { from: subscription, to: target, effectiveAt: quote.effectiveAt, kind: 'upgrade', invoiceId: invoice.id },
        actor,
      ),
      subscriptionChanged(changed, 'upgraded', actor),
    );
    return result('applied', 'upgrade', quote.effectiveAt, target, invoice.id, invoice.amountDue);
  });
}

function result(
  status: PlanChangeResult['status'],
  kind: PlanChangeResult['kind'],
  effectiveAt: Date,
  target: { planId: string; interval: PlanChangeResult['interval']; currency: string },
  invoiceId: string | undefined,
  amountCharged: number,
): PlanChangeResult {
  return {
    status,
    kind,
    effectiveAt: effectiveAt.toISOString(),
    planId: target.planId,
    interval: target.interval,
    invoiceId,
    amountCharged,
    currency: target.currency,
  };
}

function appliedResult(command: ChangePlan, at: Date, invoice: Invoice | undefined): PlanChangeResult {
  return result(
    'applied',
    'upgrade',
    at,
    { planId: command.planId, interval: command.interval, currency: invoice?.currency ?? 'usd' },
    invoice?.id,
    invoice?.amountDue ?? 0,
  );
}

function declined(
  invoice: Invoice,
  failureCode = invoice.lastFailureCode,
  declineCode?: string,
  message = invoice.lastFailureMessage,
): DomainError {
  const details = { invoiceId: invoice.id, failureCode, declineCode };
  const why = message ?? 'The card was declined.';
  if (failureCode === 'no_payment_method') {
    return new DomainError('billing.no_payment_method', details, {
      message: 'add a card before upgrading: the upgrade is charged at once',
    });
  }
  return new DomainError('billing.card_declined', details, {
    message: `${why.replace(/\.?$/, '.')} The plan was not changed; invoice ${displayNumber(invoice.number)} is void.`,
  });
}
