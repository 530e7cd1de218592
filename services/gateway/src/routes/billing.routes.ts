import { timestampDate, timestampFromDate } from '@bufbuild/protobuf/wkt';
import { z } from 'zod';
import { actorToProto } from '@crm/contracts';
import { DomainError } from '@crm/platform/errors';
import type { ServiceClients } from '../clients';
import { defineRoute, type Principal, type RouteContext } from '../http/route';
import {
  addressView,
  cardView,
  changeView,
  intervalSchema,
  intervalToProto,
  invoiceView,
  overviewView,
  planIdSchema,
  planView,
  previewView,
  toCardView,
  toChangeView,
  toInvoiceView,
  toOverviewView,
  toPlanView,
  toPreviewView,
} from './billing.views';

const view = { kind: 'permission', permission: 'billing.view' } as const;
const manage = { kind: 'permission', permission: 'billing.manage' } as const;

/** The account the caller acts in, and the caller as the actor of the change. */
function caller(principal: Principal | undefined) {
  if (!principal) throw new DomainError('auth.unauthenticated');
  const actor =
    principal.kind === 'api_key' && principal.apiKeyId
      ? { kind: 'api_key' as const, id: principal.apiKeyId }
      : { kind: 'user' as const, id: principal.userId };
  return { accountId: principal.accountId, actor: actorToProto(actor) };
}

const idempotencyKey = (context: RouteContext<unknown>) => context.req.get('idempotency-key')?.trim() ?? '';
const uuid = z.uuid();
const invoiceIdOf = (params: Record<string, string>) => {
  if (!uuid.safeParse(params.id).success)
    throw new DomainError('resource.not_found', { invoiceId: params.id }, { message: 'no such invoice' });
  return params.id as string;
};

export const billingAddressBody = z
  .object({
    name: z.string().trim().min(1).max(120).describe('the company or person invoiced'),
    line1: z.string().trim().min(1).max(200),
    line2: z.string().trim().max(200).optional(),
    city: z.string().trim().min(1).max(100),
    region: z.string().trim().max(100).optional().describe('state or region; required for US, CA, AU'),
    postalCode: z.string().trim().min(1).max(16),
    country: z.string().regex(/^[A-Za-z]{2}$/, 'country must be an ISO 3166-1 alpha-2 code such as "US"'),
    billingEmail: z.email().optional().describe('where invoices go; unchanged when absent'),
  })
  .strict();

const planChangeBody = z.object({ planId: planIdSchema, interval: intervalSchema }).strict();
const changePlanBody = planChangeBody
  .extend({
    prorationDate: z.iso
      .datetime()
      .optional()
      .describe("the preview's prorationDate: invoice exactly the previewed lines"),
  })
  .strict();

export const billingRoutes = (clients: Pick<ServiceClients, 'billing'>) => [
  defineRoute({
    method: 'get',
    path: '/v1/billing',
    operationId: 'getBillingOverview',
    summary:
      'The billing page: plan, status, current period, next invoice (with a scheduled change), card, address, warnings',
    tag: 'Billing',
    access: view,
    responses: { 200: { description: 'The overview', schema: overviewView } },
    async handle({ principal }) {
      const overview = await clients.billing.getBillingOverview({ accountId: caller(principal).accountId });
      return { status: 200, body: toOverviewView(overview) };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/v1/billing/plans',
    operationId: 'listBillingPlans',
    summary: 'The plans an account can choose, with their monthly and yearly prices',
    tag: 'Billing',
    access: view,
    responses: { 200: { description: 'The catalogue', schema: z.object({ plans: z.array(planView) }) } },
    async handle() {
      const { plans } = await clients.billing.listPlans({ includeInactive: false });
      return { status: 200, body: { plans: plans.map(toPlanView) } };
    },
  }),
  defineRoute({
    method: 'put',
    path: '/v1/billing/address',
    operationId: 'updateBillingAddress',
    summary: 'Set the billing address (and optionally the billing email) printed on invoices',
    tag: 'Billing',
    access: manage,
    body: billingAddressBody,
    responses: {
      200: { description: 'Saved', schema: z.object({ billingAddress: addressView, billingEmail: z.string() }) },
      422: { description: 'Invalid address or email' },
    },
    async handle({ principal, body }) {
      const { accountId, actor } = caller(principal);
      const { billingEmail, ...address } = body;
      const saved = await clients.billing.updateBillingAddress({
        accountId,
        actor,
        address: { ...address, line2: address.line2 ?? '', region: address.region ?? '' },
        billingEmail: billingEmail ?? '',
      });
      const a = saved.address;
      return {
        status: 200,
        body: {
          billingAddress: {
            name: a?.name ?? '',
            line1: a?.line1 ?? '',
            line2: a?.line2 ?? '',
            city: a?.city ?? '',
            region: a?.region ?? '',
            postalCode: a?.postalCode ?? '',
            country: a?.country ?? '',
          },
          billingEmail: saved.billingEmail,
        },
      };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/v1/billing/setup-intent',
    operationId: 'createBillingSetupIntent',
    summary: 'Start collecting a card: a Stripe SetupIntent for Stripe.js (confirm it, then POST its payment method)',
    tag: 'Billing',
    access: manage,
    responses: {
      201: {
        description: 'Created',
        schema: z.object({ clientSecret: z.string(), setupIntentId: z.string(), publishableKey: z.string() }),
      },
    },
    async handle({ principal }) {
      const intent = await clients.billing.createSetupIntent(caller(principal));
      return {
        status: 201,
        body: {
          clientSecret: intent.clientSecret,
          setupIntentId: intent.setupIntentId,
          publishableKey: intent.publishableKey,
        },
      };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/v1/billing/payment-method',
    operationId: 'setBillingPaymentMethod',
    summary: 'Make a card the account’s payment method; any past-due invoice is retried with it at once',
    tag: 'Billing',
    access: manage,
    body: z.object({ paymentMethodId: z.string().min(1).max(255).describe('Stripe PaymentMethod id, pm_…') }).strict(),
    responses: {
      200: {
        description: 'Saved',
        schema: z.object({ paymentMethod: cardView, retriedInvoices: z.array(invoiceView) }),
      },
      402: { description: 'The card was declined when attached' },
      422: { description: 'Unknown payment method' },
    },
    async handle({ principal, body }) {
      const saved = await clients.billing.setPaymentMethod({
        ...caller(principal),
        paymentMethodId: body.paymentMethodId,
      });
      return {
        status: 200,
        body: {
          paymentMethod: toCardView(saved.paymentMethod),
          retriedInvoices: saved.retriedInvoices.map(toInvoiceView),
        },
      };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/v1/billing/invoices',
    operationId: 'listInvoices',
    summary: 'The account’s invoices, newest first',
    tag: 'Billing',
    access: view,
    responses: { 200: { description: 'Invoices', schema: z.object({ invoices: z.array(invoiceView) }) } },
    async handle({ principal }) {
      const { invoices } = await clients.billing.listInvoices({ accountId: caller(principal).accountId });
      return { status: 200, body: { invoices: invoices.map(toInvoiceView) } };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/v1/billing/invoices/:id',
    operationId: 'getInvoice',
    summary: 'One invoice with its lines',
    tag: 'Billing',
    access: view,
    responses: {
      200: { description: 'The invoice', schema: invoiceView },
      404: { description: 'No such invoice in this account' },
    },
    async handle({ principal, params }) {
      const { invoice } = await clients.billing.getInvoice({
        accountId: caller(principal).accountId,
        invoiceId: invoiceIdOf(params),
      });
      return { status: 200, body: toInvoiceView(invoice) };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/v1/billing/invoices/:id/pdf',
    operationId: 'downloadInvoicePdf',
    summary: 'The invoice as a PDF document (application/pdf)',
    tag: 'Billing',
    access: view,
    responses: { 200: { description: 'application/pdf' }, 404: { description: 'No such invoice in this account' } },
    async handle({ principal, params }) {
      const pdf = await clients.billing.getInvoicePdf({
        accountId: caller(principal).accountId,
        invoiceId: invoiceIdOf(params),
      });
      return {
        status: 200,
        body: Buffer.from(pdf.content),
        headers: {
          'Content-Type': 'application/pdf',
          'Content-Disposition': `attachment; filename="${pdf.filename}"`,
          'Cache-Control': 'private, no-store',
        },
      };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/v1/billing/plan-change/preview',
    operationId: 'previewPlanChange',
    summary:
      'What a plan change would do: kind, effective date, the exact lines invoiced now, amount due now, next invoice',
    tag: 'Billing',
    access: manage,
    body: planChangeBody,
    responses: {
      200: { description: 'The preview', schema: previewView },
      409: { description: 'Already on this plan' },
      422: { description: 'Unknown plan or interval' },
    },
    async handle({ principal, body }) {
      const preview = await clients.billing.previewPlanChange({
        accountId: caller(principal).accountId,
        planId: body.planId,
        interval: intervalToProto(body.interval),
      });
      return { status: 200, body: toPreviewView(preview) };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/v1/billing/plan-change',
    operationId: 'changePlan',
    summary:
      'Change plan: an upgrade is prorated, charged and applied now (only once paid); a downgrade is scheduled for the end of the period. Send an Idempotency-Key: a repeat never charges twice.',
    tag: 'Billing',
    access: manage,
    body: changePlanBody,
    responses: {
      200: { description: 'Applied (upgrade) or scheduled (downgrade)', schema: changeView },
      402: { description: 'The card was declined: the plan is unchanged' },
      409: {
        description: 'Already on this plan, no card on file, or the Idempotency-Key was used for another request',
      },
      422: { description: 'Unknown plan or interval, or a stale prorationDate' },
    },
    async handle(context) {
      const { principal, body } = context;
      const change = await clients.billing.changePlan({
        ...caller(principal),
        planId: body.planId,
        interval: intervalToProto(body.interval),
        idempotencyKey: idempotencyKey(context as RouteContext<unknown>),
        prorationDate: body.prorationDate ? timestampFromDate(new Date(body.prorationDate)) : undefined,
      });
      return { status: 200, body: toChangeView(change) };
    },
  }),
  defineRoute({
    method: 'delete',
    path: '/v1/billing/plan-change',
    operationId: 'cancelPlanChange',
    summary: 'Cancel the scheduled (pending) plan change',
    tag: 'Billing',
    access: manage,
    responses: {
      200: {
        description: 'Cancelled',
        schema: z.object({
          canceled: z.object({ planId: z.string(), interval: intervalSchema, effectiveAt: z.string().nullable() }),
        }),
      },
      409: { description: 'No plan change is scheduled' },
    },
    async handle({ principal }) {
      const { canceled } = await clients.billing.cancelPlanChange(caller(principal));
      return {
        status: 200,
        body: {
          canceled: {
            planId: canceled?.planId ?? '',
            interval: canceled?.interval === intervalToProto('year') ? 'year' : 'month',
            effectiveAt: canceled?.effectiveAt ? timestampDate(canceled.effectiveAt).toISOString() : null,
          },
        },
      };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/v1/billing/custom-plan-requests',
    operationId: 'requestCustomPlan',
    summary: 'Book a call about a custom plan or add-ons: sales gets the request',
    tag: 'Billing',
    access: manage,
    body: z.object({ message: z.string().trim().min(10).max(2000).describe('what you need') }).strict(),
    responses: {
      202: { description: 'Recorded', schema: z.object({ requestId: z.uuid(), requestedAt: z.string().nullable() }) },
    },
    async handle(context) {
      const saved = await clients.billing.requestCustomPlan({
        ...caller(context.principal),
        message: context.body.message,
        idempotencyKey: idempotencyKey(context as RouteContext<unknown>),
      });
      return {
        status: 202,
        body: {
          requestId: saved.requestId,
          requestedAt: saved.requestedAt ? timestampDate(saved.requestedAt).toISOString() : null,
        },
      };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/webhooks/stripe',
    operationId: 'receiveStripeWebhook',
    summary:
      'Stripe webhook endpoint: the raw body and its Stripe-Signature are verified by billing; each event id is handled once',
    tag: 'Webhooks',
    access: { kind: 'public' },
    responses: {
      200: { description: 'Received', schema: z.object({ received: z.boolean(), duplicate: z.boolean() }) },
      400: { description: 'Missing or invalid signature' },
    },
    async handle({ req }) {
      const signature = req.get('stripe-signature');
      if (!signature || !Buffer.isBuffer(req.body)) {
        throw new DomainError('billing.webhook_signature_invalid', undefined, {
          message: 'a Stripe-Signature header and a raw body are required',
        });
      }
      const handled = await clients.billing.handleStripeWebhook({ payload: new Uint8Array(req.body), signature });
      return { status: 200, body: { received: true, duplicate: handled.duplicate } };
    },
  }),
];
