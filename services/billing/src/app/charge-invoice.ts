import { createHash } from 'node:crypto';
import type { ChargeResult } from '@crm/workflows/messages';
import { DomainError } from '@crm/platform/errors';
import { appendToOutbox } from '@crm/platform/messaging';
import type { Tx } from '@crm/platform/pg';
import { billingAccountsRepository } from '../adapters/billing-accounts.repository';
import { idempotencyRepository } from '../adapters/idempotency.repository';
import { invoicesRepository } from '../adapters/invoices.repository';
import { paymentMethodsRepository } from '../adapters/payment-methods.repository';
import type { ChargeOutcome } from '../adapters/stripe';
import { displayNumber, type Invoice } from '../domain/invoice';
import type { BillingDeps } from '../deps';
import { invoicePaymentFailed, RENEWAL_ACTOR } from './events';
import { recordPayment, updateSubscriptionStanding } from './record-payment';

export interface ChargeInvoice {
  accountId: string;
  invoiceId: string;
  /** `<invoiceId>:attempt:<n>`, chosen by the caller (the workflow): one key, at most one PaymentIntent. */
  idempotencyKey: string;
}

const SCOPE = 'billing.charge';
const ATTEMPT_KEY = /^([0-9a-f-]{36}):attempt:([1-9]\d{0,3})$/;

/**
 * One off-session charge attempt of an invoice, exactly once per idempotency key, whatever crashes or repeats:
 *
 * 1. the key is claimed in `idempotency_keys` and committed before Stripe is called;
 * 2. in one transaction that holds the key's row lock (a concurrent holder of the key waits for our outcome),
 *    a completed key returns its recorded result; a key claimed by an earlier try that died mid-call is first
 *    looked up at Stripe (the PaymentIntent carries the key in its metadata), so it is never charged twice;
 * 3. the outcome is applied (invoice paid, or the failure recorded and announced) and stored under the key.
 *
 * A decline is an outcome, not an error: it is returned (`paid: false`) and announced as
 * billing.invoice.payment_failed.v1; for a subscription invoice the subscription becomes `past_due`.
 */
export async function chargeInvoice(deps: BillingDeps, command: ChargeInvoice): Promise<ChargeResult> {
  const match = ATTEMPT_KEY.exec(command.idempotencyKey);
  if (!match || match[1] !== command.invoiceId) {
    throw new DomainError(
      'validation.failed',
      { idempotencyKey: command.idempotencyKey },
      {
        message: `the charge key must be "${command.invoiceId}:attempt:<n>"`,
      },
    );
  }
  const attempt = Number(match[2]);
  const requestHash = createHash('sha256').update(`${command.accountId}/${command.invoiceId}`).digest('hex');
  const claimedNow = await idempotencyRepository.claim(deps.db.pool, SCOPE, command.idempotencyKey, requestHash);

  return deps.db.transaction(async (tx) => {
    const record = await idempotencyRepository.lock<ChargeResult>(tx, SCOPE, command.idempotencyKey);
    if (!record) throw new Error(`idempotency record ${command.idempotencyKey} vanished`);
    if (record.requestHash !== requestHash)
      throw new DomainError('idempotency.key_reused', { key: command.idempotencyKey });
    if (record.status === 'completed' && record.response) return record.response;

    const invoice = await invoicesRepository.lock(tx, command.accountId, command.invoiceId);
    if (!invoice)
      throw new DomainError('resource.not_found', { invoiceId: command.invoiceId }, { message: 'no such invoice' });
    const result = await settle(
      tx,
      deps,
      invoice,
      attempt,
      command.idempotencyKey,
      claimedNow ? undefined : record.createdAt,
    );
    await idempotencyRepository.complete(tx, SCOPE, command.idempotencyKey, result);
    return result;
  });
}

async function settle(
  tx: Tx,
  deps: BillingDeps,
  invoice: Invoice,
  attempt: number,
  key: string,
  earlierTry: Date | undefined,
): Promise<ChargeResult> {
  if (invoice.status === 'paid') return { paid: true };
  if (invoice.status !== 'open') {
    return {
      paid: false,
      failureCode: `invoice_${invoice.status}`,
      message: `invoice ${displayNumber(invoice.number)} is ${invoice.status}`,
    };
  }
  const account = await billingAccountsRepository.find(tx, invoice.accountId);
  const card = await paymentMethodsRepository.findDefault(tx, invoice.accountId);
  let outcome: ChargeOutcome;
  if (!account?.stripeCustomerId || !card) {
    outcome = {
      status: 'failed',
      paymentIntentId: undefined,
      code: 'no_payment_method',
      declineCode: undefined,
      message: 'The account has no payment method.',
    };
  } else {
    const found =
      earlierTry &&
      (await deps.payments.findCharge({
        customerId: account.stripeCustomerId,
        idempotencyKey: key,
        since: earlierTry,
      }));
    outcome =
      found ||
      (await deps.payments.chargeOffSession({
        customerId: account.stripeCustomerId,
        paymentMethodId: card.id,
        amount: invoice.amountDue,
        currency: invoice.currency,
        idempotencyKey: key,
        metadata: {
          account_id: invoice.accountId,
          invoice_id: invoice.id,
          invoice_number: displayNumber(invoice.number),
        },
      }));
  }
  if (outcome.status === 'succeeded') {
    await recordPayment(tx, deps, invoice, { paymentIntentId: outcome.paymentIntentId, attempted: true });
    return { paid: true };
  }
  await invoicesRepository.recordFailedAttempt(tx, invoice.accountId, invoice.id, outcome);
  await appendToOutbox(
    tx,
    invoicePaymentFailed(invoice, { attempt, code: outcome.code, declineCode: outcome.declineCode }, RENEWAL_ACTOR),
  );
  if (invoice.kind === 'subscription') await updateSubscriptionStanding(tx, deps, invoice);
  deps.logger.info(
    { accountId: invoice.accountId, invoiceId: invoice.id, attempt, failureCode: outcome.code },
    'charge failed',
  );
  return { paid: false, failureCode: outcome.code, declineCode: outcome.declineCode, message: outcome.message };
}
