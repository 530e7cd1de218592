import { timestampDate } from '@bufbuild/protobuf/wkt';
import { z } from 'zod';
import { BillingInterval, actorToProto, type Account } from '@crm/contracts';
import { accountStatusName, accountStatusView } from './account-status.view';
import { DomainError, validationError } from '@crm/platform/errors';
import { defineRoute } from '../http/route';
import type { ServiceClients } from '../clients';

const e164 = /^\+[1-9]\d{6,14}$/;

const isTimezone = (value: string) => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return value.length > 0;
  } catch {
    return false;
  }
};

export const provisionAccountBody = z
  .object({
    name: z.string().trim().min(2).max(120),
    slug: z
      .string()
      .regex(/^[a-z0-9](?:[a-z0-9-]{1,38}[a-z0-9])$/, 'slug must be 3–40 lowercase letters, digits or dashes')
      .optional(),
    timezone: z.string().refine(isTimezone, 'unknown IANA time zone').describe('IANA time zone, e.g. America/Chicago'),
    owner: z
      .object({
        firstName: z.string().trim().min(1).max(80),
        lastName: z.string().trim().min(1).max(80),
        email: z.email(),
        phone: z.string().regex(e164, 'phone must be in E.164 form, e.g. +13125550100'),
      })
      .strict(),
    planId: z.string().regex(/^[a-z0-9-]{2,40}$/, 'planId must be a plan slug such as "starter"'),
    interval: z.enum(['month', 'year']),
    trialDays: z.number().int().min(0).max(365).optional().describe('default 14; 0 means no trial'),
  })
  .strict();

const accountView = z.object({
  id: z.uuid(),
  slug: z.string(),
  name: z.string(),
  timezone: z.string(),
  status: accountStatusView,
  createdAt: z.iso.datetime(),
});

const toView = (account: Account | undefined): z.infer<typeof accountView> => {
  if (!account) throw new Error('account service answered without an account');
  return {
    id: account.id,
    slug: account.slug,
    name: account.name,
    timezone: account.timezone,
    status: accountStatusName(account.status) ?? 'provisioning',
    createdAt: account.createdAt ? timestampDate(account.createdAt).toISOString() : new Date(0).toISOString(),
  };
};

const uuidParam = z.uuid();

/**
 * The plan catalogue is billing's: an account provisioned on a plan billing does not offer (or not at that
 * interval) would have no subscription, so the request is refused up front with a field error.
 */
async function requireChoosablePlan(clients: ServiceClients, planId: string, interval: 'month' | 'year') {
  const { plans } = await clients.billing.listPlans({ includeInactive: false });
  const wanted = interval === 'month' ? BillingInterval.MONTH : BillingInterval.YEAR;
  const plan = plans.find((candidate) => candidate.id === planId);
  if (!plan) {
    const offered = plans.map((candidate) => candidate.id).join(', ');
    throw validationError([
      { field: 'planId', message: `unknown plan "${planId}"; plans offered: ${offered}`, code: 'unknown_plan' },
    ]);
  }
  if (!plan.prices.some((price) => price.interval === wanted)) {
    throw validationError([
      { field: 'interval', message: `plan "${planId}" has no ${interval}ly price`, code: 'unknown_price' },
    ]);
  }
}

export const operatorAccountRoutes = (clients: ServiceClients) => [
  defineRoute({
    method: 'post',
    path: '/operator/v1/accounts',
    operationId: 'provisionAccount',
    summary: 'Provision an account: the account, its owner (an Admin), and a subscription with a trial',
    tag: 'Operator',
    access: { kind: 'operator' },
    body: provisionAccountBody,
    responses: {
      201: {
        description:
          'Created (or, for a repeated Idempotency-Key, the account it created). The owner is invited as an Admin: the invitation email goes out as soon as identity has recorded the account.',
        schema: z.object({ account: accountView, owner: z.object({ id: z.uuid() }), invitationId: z.uuid() }),
      },
      409: { description: 'The slug is taken' },
      422: { description: 'Invalid fields' },
    },
    async handle({ body, req }) {
      await requireChoosablePlan(clients, body.planId, body.interval);
      const { account, ownerUserId, ownerInvitationId } = await clients.account.createAccount({
        idempotencyKey: req.get('idempotency-key') ?? '',
        actor: actorToProto({ kind: 'operator', id: 'operator-token' }),
        name: body.name,
        slug: body.slug,
        timezone: body.timezone,
        owner: body.owner,
        planId: body.planId,
        interval: body.interval === 'month' ? BillingInterval.MONTH : BillingInterval.YEAR,
        trialDays: body.trialDays,
      });
      const view = toView(account);
      return {
        status: 201,
        body: { account: view, owner: { id: ownerUserId }, invitationId: ownerInvitationId },
        headers: { Location: `/operator/v1/accounts/${view.id}` },
      };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/operator/v1/accounts/:id',
    operationId: 'getAccountAsOperator',
    summary: 'An account, with its lifecycle status',
    tag: 'Operator',
    access: { kind: 'operator' },
    responses: {
      200: { description: 'The account', schema: z.object({ account: accountView }) },
      404: { description: 'No such account' },
    },
    async handle({ params }) {
      if (!uuidParam.safeParse(params.id).success) throw new DomainError('account.not_found', { accountId: params.id });
      const { account } = await clients.account.getAccount({ accountId: params.id });
      return { status: 200, body: { account: toView(account) } };
    },
  }),
];
