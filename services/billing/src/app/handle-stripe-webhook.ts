import type { EventActor } from '@crm/contracts';
import { appendToOutbox } from '@crm/platform/messaging';
import type { Tx } from '@crm/platform/pg';
import { billingAccountsRepository } from '../adapters/billing-accounts.repository';
import { invoicesRepository } from '../adapters/invoices.repository';
import { paymentMethodsRepository } from '../adapters/payment-methods.repository';
import { stripeEventsRepository } from '../adapters/stripe-events.repository';
import type { StripeWebhookEvent } from '../adapters/stripe';
import type { BillingDeps } from '../deps';
import { paymentMethodUpdated } from './events';
import { recordPayment } from './record-payment';

const STRIPE_ACTOR: EventActor = { kind: 'system', id: 'billing.stripe-webhook' };

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value.length > 0 ? value : undefined;

/**
 * A Stripe webhook delivery (`POST /webhooks/stripe`, forwarded raw by the gateway): the signature is verified on
 * the raw body (`billing.webhook_signature_invalid`, 400, otherwise), then the event is recorded by id in the same
 * transaction as its effect, so a redelivery does nothing. Effects:
 * - `payment_method.updated` / `payment_method.automatically_updated`: refresh a stored card's brand/last 4/expiry;
 * - `payment_method.detached`: forget the card;
 * - `payment_intent.succeeded` for one of our invoices: mark it paid if it is still open (a charge whose answer
 *   we never received).
 * Other event types are recorded and ignored.
 */
export async function handleStripeWebhook(deps: BillingDeps, input: { payload: Buffer; signature: string }) {
  const event = deps.payments.verifyWebhook(input.payload, input.signature);
  return deps.db.transaction(async (tx) => {
    const accountId = await accountOf(tx, event);
    const first = await stripeEventsRepository.record(tx, { id: event.id, type: event.type, accountId });
    if (first && accountId) await apply(tx, deps, event, accountId);
    deps.logger.info(
      { stripeEventId: event.id, type: event.type, accountId, duplicate: !first },
      'stripe webhook handled',
    );
    return { eventId: event.id, eventType: event.type, duplicate: !first };
  });
}

async function accountOf(tx: Tx, event: StripeWebhookEvent): Promise<string | undefined> {
  const object = event.object;
  if (event.type.startsWith('payment_method.')) {
    const stored = text(object.id) && (await paymentMethodsRepository.accountOf(tx, String(object.id)));
    if (stored) return stored;
  }
  const customer = text(object.customer);
  if (customer) return (await billingAccountsRepository.findByStripeCustomer(tx, customer))?.accountId;
  return undefined;
}

async function apply(tx: Tx, deps: BillingDeps, event: StripeWebhookEvent, accountId: string): Promise<void> {
  const object = event.object;
  switch (event.type) {
    case 'payment_method.updated':
    case 'payment_method.automatically_updated': {
      const card = object.card as
        | { brand?: unknown; last4?: unknown; exp_month?: unknown; exp_year?: unknown }
        | undefined;
      const id = text(object.id);
      if (!id || !card || typeof card.exp_month !== 'number' || typeof card.exp_year !== 'number') return;
      const summary = {
        id,
        brand: String(card.brand ?? 'card'),
        last4: String(card.last4 ?? ''),
        expMonth: card.exp_month,
        expYear: card.exp_year,
      };
      if (!(await paymentMethodsRepository.find(tx, accountId, id))) return;
      if (await paymentMethodsRepository.updateDetails(tx, accountId, summary, deps.now())) {
        await appendToOutbox(tx, paymentMethodUpdated(accountId, summary, STRIPE_ACTOR));
      }
      return;
    }
    case 'payment_method.detached': {
      const id = text(object.id);
      if (id) await paymentMethodsRepository.remove(tx, accountId, id);
      return;
    }
    case 'payment_intent.succeeded': {
      const invoiceId = text((object.metadata as Record<string, unknown> | undefined)?.invoice_id);
      const invoice =
        invoiceId && /^[0-9a-f-]{36}$/.test(invoiceId)
          ? await invoicesRepository.lock(tx, accountId, invoiceId)
          : undefined;
      if (invoice?.status === 'open')
        await recordPayment(tx, deps, invoice, { paymentIntentId: text(object.id), attempted: false });
      return;
    }
    default:
      return;
  }
}
