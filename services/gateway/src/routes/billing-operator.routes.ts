import { z } from 'zod';
import { actorToProto } from '@crm/contracts';
import type { ServiceClients } from '../clients';
import { defineRoute } from '../http/route';
import { intervalToProto, planIdSchema, planView, toPlanView } from './billing.views';

const planBody = z
  .object({
    name: z.string().trim().min(2).max(60),
    description: z.string().max(500).default(''),
    currency: z
      .string()
      .regex(/^[a-z]{3}$/, 'currency must be a lower-case ISO 4217 code such as "usd"')
      .default('usd'),
    prices: z
      .object({ month: z.number().int().positive(), year: z.number().int().positive() })
      .strict()
      .describe('minor units per period'),
    active: z.boolean().default(true),
    sortOrder: z.number().int().default(100),
  })
  .strict();

const savePlan = async (clients: Pick<ServiceClients, 'billing'>, id: string, body: z.infer<typeof planBody>) => {
  const { plan, created } = await clients.billing.savePlan({
    actor: actorToProto({ kind: 'operator', id: 'operator-token' }),
    plan: {
      id,
      name: body.name,
      description: body.description,
      active: body.active,
      sortOrder: body.sortOrder,
      prices: (['month', 'year'] as const).map((interval) => ({
        interval: intervalToProto(interval),
        amount: BigInt(body.prices[interval]),
        currency: body.currency,
      })),
    },
  });
  if (!plan) throw new Error('billing answered without a plan');
  return { plan: toPlanView(plan), created };
};

/** Operators edit the plan catalogue (PRODUCT.md §5: seeded, editable by operators). */
export const billingOperatorRoutes = (clients: Pick<ServiceClients, 'billing'>) => [
  defineRoute({
    method: 'get',
    path: '/operator/v1/billing/plans',
    operationId: 'listPlansAsOperator',
    summary: 'Every plan, retired ones included',
    tag: 'Operator',
    access: { kind: 'operator' },
    responses: { 200: { description: 'The catalogue', schema: z.object({ plans: z.array(planView) }) } },
    async handle() {
      const { plans } = await clients.billing.listPlans({ includeInactive: true });
      return { status: 200, body: { plans: plans.map(toPlanView) } };
    },
  }),
  defineRoute({
    method: 'put',
    path: '/operator/v1/billing/plans/:id',
    operationId: 'savePlan',
    summary: 'Add a plan or edit one (new prices apply from each subscription’s next renewal; active=false retires it)',
    tag: 'Operator',
    access: { kind: 'operator' },
    body: planBody,
    responses: {
      200: { description: 'Updated', schema: z.object({ plan: planView }) },
      201: { description: 'Created', schema: z.object({ plan: planView }) },
      422: { description: 'Invalid plan' },
    },
    async handle({ params, body }) {
      const id = planIdSchema.safeParse(params.id);
      const { plan, created } = await savePlan(clients, id.success ? id.data : String(params.id), body);
      return { status: created ? 201 : 200, body: { plan } };
    },
  }),
];
