import Stripe from 'stripe';
import { DomainError, validationError } from '@crm/platform/errors';
import type { CardSummary } from '../domain/payment-method';

/**
 * The only code that talks to Stripe (ARCHITECTURE.md): the official SDK, pointed at the local emulator by
 * configuration (`STRIPE_API_BASE`) and at api.stripe.com in production. Stripe holds customers and cards and
 * takes charges; plans, periods, proration and invoices are billing's own.
 */
export interface PaymentGateway {
  createCustomer(input: { accountId: string; name: string; email: string }): Promise<string>;
  createSetupIntent(customerId: string, accountId: string): Promise<{ id: string; clientSecret: string }>;
  /** The card with its owner (undefined when Stripe has no such payment method). */
  retrievePaymentMethod(
    paymentMethodId: string,
  ): Promise<(CardSummary & { customerId: string | undefined }) | undefined>;
  /** Attaches the card to the customer (a no-op when it already is) and makes it the customer's default. */
  attachAsDefault(paymentMethodId: string, customerId: string): Promise<void>;
  /** One off-session PaymentIntent, created and confirmed; a decline is an outcome, not an error. */
  chargeOffSession(charge: OffSessionCharge): Promise<ChargeOutcome>;
  /**
   * The outcome of a charge made earlier under `idempotencyKey` (found through the customer's charges since
   * `since`), or undefined when Stripe never charged under it. Used when a previous attempt died mid-call.
   */
  findCharge(input: { customerId: string; idempotencyKey: string; since: Date }): Promise<ChargeOutcome | undefined>;
  /** Verifies a webhook delivery against the raw body; `billing.webhook_signature_invalid` when it is not Stripe's. */
  verifyWebhook(payload: Buffer, signature: string): StripeWebhookEvent;
}

export interface OffSessionCharge {
  customerId: string;
  paymentMethodId: string;
  amount: number;
  currency: string;
  /** `<invoiceId>:attempt:<n>`: sent as Stripe's Idempotency-Key and kept in the PaymentIntent's metadata. */
  idempotencyKey: string;
  /** Also where Stripe's dashboard shows the invoice number (the emulator has no PaymentIntent description). */
  metadata: { account_id: string; invoice_id: string; invoice_number: string };
}

export type ChargeOutcome =
  | { status: 'succeeded'; paymentIntentId: string }
  | {
      status: 'failed';
      paymentIntentId: string | undefined;
      code: string;
      declineCode: string | undefined;
      message: string;
    };

export interface StripeWebhookEvent {
  id: string;
  type: string;
  /** `data.object` of the event. */
  object: Record<string, unknown>;
}

export interface StripeSettings {
  apiBase: string | undefined;
  secretKey: string;
  webhookSecret: string;
  timeoutMs: number;
}

const IDEMPOTENCY_METADATA_KEY = 'idempotency_key';

export function createStripeGateway(settings: StripeSettings): PaymentGateway {
  const base = settings.apiBase ? new URL(settings.apiBase) : undefined;
  const stripe = new Stripe(settings.secretKey, {
    // Retries are the workflow's business, each with the same key and a look-up of what the last try did.
    maxNetworkRetries: 0,
    timeout: settings.timeoutMs,
    telemetry: false,
    ...(base && {
      host: base.hostname,
      port: Number(base.port || (base.protocol === 'https:' ? 443 : 80)),
      protocol: base.protocol === 'https:' ? ('https' as const) : ('http' as const),
    }),
  });

  const toCard = (paymentMethod: Stripe.PaymentMethod): CardSummary & { customerId: string | undefined } => {
    if (paymentMethod.type !== 'card' || !paymentMethod.card) {
      throw validationError([
        { field: 'paymentMethodId', message: 'only card payment methods are accepted', code: 'unsupported' },
      ]);
    }
    const customer = paymentMethod.customer;
    return {
      id: paymentMethod.id,
      brand: paymentMethod.card.brand,
      last4: paymentMethod.card.last4,
      expMonth: paymentMethod.card.exp_month,
      expYear: paymentMethod.card.exp_year,
      customerId: typeof customer === 'string' ? customer : (customer?.id ?? undefined),
    };
  };

  const outcomeOf = (intent: Stripe.PaymentIntent): ChargeOutcome | undefined => {
    if (intent.status === 'succeeded') return { status: 'succeeded', paymentIntentId: intent.id };
    const error = intent.last_payment_error;
    if (intent.status === 'requires_payment_method' && error) {
      return {
        status: 'failed',
        paymentIntentId: intent.id,
        code: error.code ?? 'card_declined',
        declineCode: error.decline_code ?? undefined,
        message: error.message ?? 'The card was declined.',
      };
    }
    return undefined;
  };

  return {
    async createCustomer({ accountId, name, email }) {
      const customer = await stripe.customers.create(
        { name, email, metadata: { account_id: accountId } },
        { idempotencyKey: `customer-${accountId}` },
      );
      return customer.id;
    },

    async createSetupIntent(customerId, accountId) {
      const intent = await stripe.setupIntents.create({
        customer: customerId,
        usage: 'off_session',
        metadata: { account_id: accountId },
      });
      if (!intent.client_secret) throw new Error(`Stripe returned SetupIntent ${intent.id} without a client secret`);
      return { id: intent.id, clientSecret: intent.client_secret };
    },

    async retrievePaymentMethod(paymentMethodId) {
      try {
        return toCard(await stripe.paymentMethods.retrieve(paymentMethodId));
      } catch (error) {
        if (
          error instanceof Stripe.errors.StripeError &&
          (error.statusCode === 404 || error.code === 'resource_missing')
        )
          return undefined;
        throw error;
      }
    },

    async attachAsDefault(paymentMethodId, customerId) {
      const current = await stripe.paymentMethods.retrieve(paymentMethodId);
      const owner = typeof current.customer === 'string' ? current.customer : current.customer?.id;
      if (owner !== customerId) {
        try {
          await stripe.paymentMethods.attach(paymentMethodId, { customer: customerId });
        } catch (error) {
          if (error instanceof Stripe.errors.StripeCardError) {
            throw new DomainError(
              'billing.card_declined',
              { code: error.code, declineCode: error.decline_code },
              { message: error.message },
            );
          }
          throw error;
        }
      }
      await stripe.customers.update(customerId, { invoice_settings: { default_payment_method: paymentMethodId } });
    },

    async chargeOffSession(charge) {
      try {
        const intent = await stripe.paymentIntents.create(
          {
            amount: charge.amount,
            currency: charge.currency,
            customer: charge.customerId,
            payment_method: charge.paymentMethodId,
            off_session: true,
            confirm: true,
            metadata: { ...charge.metadata, [IDEMPOTENCY_METADATA_KEY]: charge.idempotencyKey },
          },
          { idempotencyKey: charge.idempotencyKey },
        );
        return (
          outcomeOf(intent) ?? {
            status: 'failed',
            paymentIntentId: intent.id,
            code: intent.status === 'requires_action' ? 'authentication_required' : `payment_${intent.status}`,
            declineCode: undefined,
            message:
              intent.status === 'requires_action'
                ? 'The card needs the cardholder to authenticate the payment.'
                : `The payment is ${intent.status}.`,
          }
        );
      } catch (error) {
        if (error instanceof Stripe.errors.StripeCardError) {
          return {
            status: 'failed',
            paymentIntentId: error.payment_intent?.id,
            code: error.code ?? 'card_declined',
            declineCode: error.decline_code ?? undefined,
            message: error.message,
          };
        }
        throw error;
      }
    },

    async findCharge({ customerId, idempotencyKey, since }) {
      const charges = await stripe.charges.list({
        customer: customerId,
        created: { gt: Math.floor(since.getTime() / 1000) - 60 },
        limit: 100,
      });
      const intentIds = new Set(
        charges.data.map((c) => (typeof c.payment_intent === 'string' ? c.payment_intent : c.payment_intent?.id)),
      );
      for (const intentId of intentIds) {
        if (!intentId) continue;
        const intent = await stripe.paymentIntents.retrieve(intentId);
        if (intent.metadata?.[IDEMPOTENCY_METADATA_KEY] === idempotencyKey) return outcomeOf(intent);
      }
      return undefined;
    },

    verifyWebhook(payload, signature) {
      try {
        const event = stripe.webhooks.constructEvent(payload, signature, settings.webhookSecret);
        return { id: event.id, type: event.type, object: event.data.object as unknown as Record<string, unknown> };
      } catch (error) {
        if (error instanceof Stripe.errors.StripeSignatureVerificationError || error instanceof SyntaxError) {
          throw new DomainError('billing.webhook_signature_invalid', undefined, {
            message: 'the Stripe-Signature header does not match the payload',
          });
        }
        throw error;
      }
    },
  };
}
