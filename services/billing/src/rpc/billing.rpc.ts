import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import type { ConnectRouter } from '@connectrpc/connect';
import { BillingService } from '@crm/contracts';
import { validationError } from '@crm/platform/errors';
import { accountRegisteredAt } from '../app/confirm-registration';
import { createSetupIntent } from '../app/create-setup-intent';
import { getBillingOverview } from '../app/get-billing-overview';
import { getInvoice } from '../app/get-invoice';
import { handleStripeWebhook } from '../app/handle-stripe-webhook';
import { listInvoices } from '../app/list-invoices';
import { listPlans } from '../app/list-plans';
import { previewPlanChange } from '../app/preview-plan-change';
import { renderInvoice } from '../app/render-invoice-pdf';
import { requestCustomPlan } from '../app/request-custom-plan';
import { requestPlanChange, requestPlanChangeCancellation } from '../app/request-plan-change';
import { savePlan } from '../app/save-plan';
import { setPaymentMethod } from '../app/set-payment-method';
import { updateBillingAddress } from '../app/update-billing-address';
import type { BillingDeps } from '../deps';
import {
  addressToProto,
  cardToProto,
  dateOf,
  intervalFromProto,
  intervalToProto,
  invoiceToProto,
  lineToProto,
  nextInvoiceToProto,
  planChangeKindToProto,
  planToProto,
  requireActor,
  subscriptionStatusToProto,
  ts,
} from './billing-proto';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Every call names the account it acts for; a malformed id is a validation error, never a query. */
function accountIdOf(request: { accountId: string }): string {
  if (!UUID.test(request.accountId))
    throw validationError([{ field: 'accountId', message: 'accountId must be a UUID', code: 'invalid_format' }]);
  return request.accountId;
}

const amountOf = (value: bigint, field: string): number => {
  if (value <= 0n || value > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw validationError([
      { field, message: `${field} must be a positive whole number of minor units`, code: 'out_of_range' },
    ]);
  }
  return Number(value);
};

export const billingRoutes = (deps: BillingDeps) => (router: ConnectRouter) =>
  router.service(BillingService, {
    async getAccountRegistration(request) {
      const registeredAt = await accountRegisteredAt(deps, request.accountId);
      return { registered: registeredAt !== undefined, registeredAt: registeredAt && timestampFromDate(registeredAt) };
    },

    async getBillingOverview(request) {
      const overview = await getBillingOverview(deps, { accountId: accountIdOf(request) });
      return {
        plan: overview.plan && planToProto(overview.plan),
        interval: intervalToProto(overview.interval),
        status: subscriptionStatusToProto(overview.status),
        price: BigInt(overview.price),
        currency: overview.currency,
        trialEndsAt: ts(overview.trialEndsAt),
        currentPeriodStart: ts(overview.currentPeriodStart),
        currentPeriodEnd: ts(overview.currentPeriodEnd),
        nextInvoice: nextInvoiceToProto(overview.nextInvoice),
        pendingChange: overview.pendingChange && {
          planId: overview.pendingChange.planId,
          interval: intervalToProto(overview.pendingChange.interval),
          effectiveAt: ts(overview.pendingChange.effectiveAt),
          requestedAt: ts(overview.pendingChange.requestedAt),
        },
        paymentMethod: cardToProto(overview.paymentMethod),
        billingAddress: addressToProto(overview.billingAddress),
        billingEmail: overview.billingEmail,
        warnings: overview.warnings,
      };
    },

    async listPlans(request) {
      return { plans: (await listPlans(deps, { includeInactive: request.includeInactive })).map(planToProto) };
    },

    async savePlan(request) {
      requireActor(request.actor);
      const plan = request.plan;
      if (!plan) throw validationError([{ field: 'plan', message: 'plan is required', code: 'required' }]);
      const price = (interval: 'month' | 'year') => plan.prices.find((p) => p.interval === intervalToProto(interval));
      const month = price('month');
      const year = price('year');
      if (!month || !year)
        throw validationError([
          { field: 'prices', message: 'a plan needs a monthly and a yearly price', code: 'required' },
        ]);
      if (month.currency !== year.currency) {
        throw validationError([
          { field: 'prices', message: 'both prices must be in the same currency', code: 'invalid_value' },
        ]);
      }
      const saved = await savePlan(deps, {
        plan: {
          id: plan.id,
          name: plan.name,
          description: plan.description,
          currency: month.currency,
          prices: { month: amountOf(month.amount, 'prices.month'), year: amountOf(year.amount, 'prices.year') },
          active: plan.active,
          sortOrder: plan.sortOrder,
        },
      });
      return { plan: planToProto(saved.plan), created: saved.created };
    },

    async updateBillingAddress(request) {
      requireActor(request.actor);
      const address = request.address;
      if (!address) throw validationError([{ field: 'address', message: 'address is required', code: 'required' }]);
      const saved = await updateBillingAddress(deps, {
        accountId: accountIdOf(request),
        address: {
          name: address.name,
          line1: address.line1,
          line2: address.line2,
          city: address.city,
          region: address.region,
          postalCode: address.postalCode,
          country: address.country,
        },
        billingEmail: request.billingEmail || undefined,
      });
      return { address: addressToProto(saved.address), billingEmail: saved.billingEmail };
    },

    async createSetupIntent(request) {
      requireActor(request.actor);
      return createSetupIntent(deps, { accountId: accountIdOf(request) });
    },

    async setPaymentMethod(request) {
      const { card, retried } = await setPaymentMethod(deps, {
        accountId: accountIdOf(request),
        paymentMethodId: request.paymentMethodId,
        actor: requireActor(request.actor),
      });
      return { paymentMethod: cardToProto(card), retriedInvoices: retried.map(invoiceToProto) };
    },

    async listInvoices(request) {
      return { invoices: (await listInvoices(deps, { accountId: accountIdOf(request) })).map(invoiceToProto) };
    },

    async getInvoice(request) {
      return {
        invoice: invoiceToProto(
          await getInvoice(deps, { accountId: accountIdOf(request), invoiceId: request.invoiceId }),
        ),
      };
    },

    async getInvoicePdf(request) {
      const pdf = await renderInvoice(deps, { accountId: accountIdOf(request), invoiceId: request.invoiceId });
      return { content: new Uint8Array(pdf.content), filename: pdf.filename };
    },

    async previewPlanChange(request) {
      const preview = await previewPlanChange(deps, {
        accountId: accountIdOf(request),
        planId: request.planId,
        interval: intervalFromProto(request.interval),
      });
      return {
        kind: planChangeKindToProto(preview.kind),
        effectiveAt: ts(preview.effectiveAt),
        lines: preview.lines.map(lineToProto),
        amountDueNow: BigInt(preview.amountDueNow),
        currency: preview.currency,
        nextInvoice: nextInvoiceToProto(preview.nextInvoice),
        prorationDate: ts(preview.prorationDate),
      };
    },

    async changePlan(request) {
      const actor = requireActor(request.actor);
      const accountId = accountIdOf(request);
      if (request.idempotencyKey.length > 255) {
        throw validationError([
          { field: 'idempotencyKey', message: 'Idempotency-Key must be at most 255 characters', code: 'length' },
        ]);
      }
      const result = await requestPlanChange(deps, {
        accountId,
        planId: request.planId,
        interval: intervalFromProto(request.interval),
        actor,
        idempotencyKey: request.idempotencyKey || undefined,
        prorationDate: dateOf(request.prorationDate),
      });
      const invoice = result.invoiceId ? await getInvoice(deps, { accountId, invoiceId: result.invoiceId }) : undefined;
      return {
        status: result.status,
        kind: planChangeKindToProto(result.kind),
        effectiveAt: ts(new Date(result.effectiveAt)),
        planId: result.planId,
        interval: intervalToProto(result.interval),
        invoice: invoice && invoiceToProto(invoice),
        amountCharged: BigInt(result.amountCharged),
        currency: result.currency,
      };
    },

    async cancelPlanChange(request) {
      const canceled = await requestPlanChangeCancellation(deps, {
        accountId: accountIdOf(request),
        actor: requireActor(request.actor),
      });
      return {
        canceled: {
          planId: canceled.planId,
          interval: intervalToProto(canceled.interval),
          effectiveAt: ts(new Date(canceled.effectiveAt)),
        },
      };
    },

    async requestCustomPlan(request) {
      const saved = await requestCustomPlan(deps, {
        accountId: accountIdOf(request),
        message: request.message,
        actor: requireActor(request.actor),
        requestKey: request.idempotencyKey || undefined,
      });
      return { requestId: saved.id, requestedAt: ts(saved.createdAt) };
    },

    async handleStripeWebhook(request) {
      return handleStripeWebhook(deps, { payload: Buffer.from(request.payload), signature: request.signature });
    },
  });
