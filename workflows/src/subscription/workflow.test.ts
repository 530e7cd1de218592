import { randomUUID } from 'node:crypto';
import { Context } from '@temporalio/activity';
import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, Worker, type WorkflowBundle } from '@temporalio/worker';
import { createTimeSkippingEnv } from '@crm/testing';
import type { BillingSubscriptionActivities, Interval, PlanChangeRequest } from './activities';
import { cancelPlanChangeUpdate, planChangeUpdate, subscriptionStatusQuery, subscriptionWorkflowId } from './messages';
import { subscriptionWorkflow } from './workflow';

const monthly: Record<string, number> = { starter: 9700, unlimited: 29700, pro: 49700 };
const priceOf = (planId: string, interval: Interval) => (monthly[planId] ?? 0) * (interval === 'month' ? 1 : 10);

/** Calendar months from an anchor, clamped to the month's last day (the rule billing implements). */
function addMonths(anchor: Date, months: number): Date {
  const total = anchor.getUTCMonth() + months;
  const year = anchor.getUTCFullYear() + Math.floor(total / 12);
  const month = total % 12;
  const last = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return new Date(
    Date.UTC(
      year,
      month,
      Math.min(anchor.getUTCDate(), last),
      anchor.getUTCHours(),
      anchor.getUTCMinutes(),
      anchor.getUTCSeconds(),
    ),
  );
}

/** An in-memory billing service behind the workflow's activities, recording when (in workflow time) each step ran. */
function fakeBilling(start: { planId: string; interval: Interval; trialEndsAt: string }) {
  const sub = {
    planId: start.planId,
    interval: start.interval,
    status: 'trialing' as 'trialing' | 'active' | 'past_due',
    periodStart: new Date(0),
    periodEnd: new Date(start.trialEndsAt),
    anchor: new Date(start.trialEndsAt),
    cycle: -1,
    pending: undefined as { planId: string; interval: Interval } | undefined,
  };
  const invoices = new Map<string, { amount: number; periodStart: Date; paid: boolean }>();
  const renewals: { at: string; periodStart: string; planId: string; amount: number }[] = [];
  const charges: { key: string; at: string }[] = [];
  const upgrades: { requestKey: string; at: string }[] = [];
  const declines = { next: 0 };
  // Workflow time when the step was scheduled, to the second (billing's resolution).
  const now = () => new Date(Math.floor(Context.current().info.scheduledTimestampMs / 1000) * 1000).toISOString();

  const activities: BillingSubscriptionActivities = {
    async getRenewalSchedule() {
      return {
        status: sub.status,
        planId: sub.planId,
        interval: sub.interval,
        renewsAt: sub.periodEnd.toISOString(),
        pendingChange: sub.pending,
      };
    },
    async renewSubscription({ periodEnd }) {
      if (sub.periodEnd.toISOString() !== periodEnd) return { renewed: false };
      const next = sub.pending ?? sub;
      const reanchor = sub.status === 'trialing' || next.interval !== sub.interval;
      Object.assign(sub, {
        planId: next.planId,
        interval: next.interval,
        status: 'active',
        anchor: reanchor ? sub.periodEnd : sub.anchor,
        cycle: reanchor ? 0 : sub.cycle + 1,
        pending: undefined,
        periodStart: sub.periodEnd,
      });
      sub.periodEnd = addMonths(sub.anchor, (sub.cycle + 1) * (sub.interval === 'month' ? 1 : 12));
      const invoiceId = randomUUID();
      const amount = priceOf(sub.planId, sub.interval);
      invoices.set(invoiceId, { amount, periodStart: sub.periodStart, paid: false });
      renewals.push({ at: now(), periodStart: sub.periodStart.toISOString(), planId: sub.planId, amount });
      return {
        renewed: true,
        invoiceId,
        amountDue: amount,
        paid: false,
        periodStart: sub.periodStart.toISOString(),
        periodEnd: sub.periodEnd.toISOString(),
      };
    },
    async chargeInvoice({ invoiceId, idempotencyKey }) {
      charges.push({ key: idempotencyKey, at: now() });
      if (declines.next > 0) {
        declines.next -= 1;
        sub.status = 'past_due';
        return { paid: false, failureCode: 'card_declined', declineCode: 'insufficient_funds' };
      }
      const invoice = invoices.get(invoiceId);
      if (invoice) invoice.paid = true;
      return { paid: true };
    },
    async changePlan(request) {
      const upgrade =
        request.interval === sub.interval &&
        priceOf(request.planId, request.interval) > priceOf(sub.planId, sub.interval);
      if (upgrade) {
        upgrades.push({ requestKey: request.requestKey, at: now() });
        Object.assign(sub, { planId: request.planId, pending: undefined });
        return {
          status: 'applied',
          kind: 'upgrade',
          effectiveAt: now(),
          planId: request.planId,
          interval: request.interval,
          amountCharged: 1,
          currency: 'usd',
        };
      }
      sub.pending = { planId: request.planId, interval: request.interval };
      return {
        status: 'scheduled',
        kind: 'downgrade',
        effectiveAt: sub.periodEnd.toISOString(),
        planId: request.planId,
        interval: request.interval,
        amountCharged: 0,
        currency: 'usd',
      };
    },
    async cancelPlanChange() {
      const pending = sub.pending;
      if (!pending) throw ApplicationFailure.nonRetryable('no plan change is scheduled', 'billing.no_pending_change');
      sub.pending = undefined;
      return { ...pending, effectiveAt: sub.periodEnd.toISOString() };
    },
  };
  return { sub, activities, renewals, charges, upgrades, declines };
}

const request = (planId: string, interval: Interval, requestKey: string = randomUUID()): PlanChangeRequest => ({
  planId,
  interval,
  requestKey,
  actor: { kind: 'user', id: 'user-1' },
});

describe('subscriptionWorkflow', () => {
  // One test server per test: its clock only moves forward, and each test starts in its own year.
  let env: TestWorkflowEnvironment;
  let workflowBundle: WorkflowBundle;
  beforeAll(async () => {
    workflowBundle = await bundleWorkflowCode({
      workflowsPath: require.resolve('../index'),
      logger: { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} },
    });
  });
  beforeEach(async () => {
    env = await createTimeSkippingEnv();
  });
  afterEach(() => env?.teardown());

  /** Runs the workflow against a fake billing service until `body` is done, then ends it. */
  async function withSubscription(
    billing: ReturnType<typeof fakeBilling>,
    body: (handle: WorkflowHandle<typeof subscriptionWorkflow>) => Promise<void>,
  ) {
    const taskQueue = `billing-${randomUUID()}`;
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowBundle,
      activities: billing.activities,
    });
    await worker.runUntil(async () => {
      const accountId = randomUUID();
      const handle = await env.client.workflow.start(subscriptionWorkflow, {
        taskQueue,
        workflowId: subscriptionWorkflowId(accountId),
        args: [{ accountId }],
      });
      try {
        await body(handle);
      } finally {
        await handle.terminate('test over');
      }
    });
  }

  /** Advances the test server's clock to `iso` (timers due before it fire). */
  const sleepUntil = async (iso: string) => env.sleep(Math.max(0, Date.parse(iso) - (await env.currentTimeMs())));

  it('renews a monthly subscription on calendar dates from the end of the trial, charging each invoice once', async () => {
    const billing = fakeBilling({ planId: 'starter', interval: 'month', trialEndsAt: '2031-01-31T10:00:00.000Z' });
    await withSubscription(billing, async (handle) => {
      const firstRun = (await handle.describe()).runId;
      await sleepUntil('2031-04-15T00:00:00.000Z');

      expect(billing.renewals.map((r) => [r.at, r.periodStart, r.amount])).toEqual([
        ['2031-01-31T10:00:00.000Z', '2031-01-31T10:00:00.000Z', 9700],
        ['2031-02-28T10:00:00.000Z', '2031-02-28T10:00:00.000Z', 9700],
        ['2031-03-31T10:00:00.000Z', '2031-03-31T10:00:00.000Z', 9700],
      ]);
      expect(billing.charges).toHaveLength(3);
      expect(billing.charges.every((c) => /^[0-9a-f-]{36}:attempt:1$/.test(c.key))).toBe(true);
      expect(new Set(billing.charges.map((c) => c.key)).size).toBe(3);
      const status = await handle.query(subscriptionStatusQuery);
      expect(status).toMatchObject({
        renewals: 3,
        renewsAt: '2031-04-30T10:00:00.000Z',
        state: 'active',
        lastRenewal: { paid: true },
      });
      expect(status.awaitingDunning).toBeUndefined();
      expect((await handle.describe()).runId).not.toBe(firstRun);
    });
  });

  it('renews an annual subscription once a year on the anniversary', async () => {
    const billing = fakeBilling({ planId: 'pro', interval: 'year', trialEndsAt: '2031-02-15T00:00:00.000Z' });
    await withSubscription(billing, async (handle) => {
      await sleepUntil('2033-06-01T00:00:00.000Z');
      expect(billing.renewals.map((r) => [r.at, r.amount])).toEqual([
        ['2031-02-15T00:00:00.000Z', 497000],
        ['2032-02-15T00:00:00.000Z', 497000],
        ['2033-02-15T00:00:00.000Z', 497000],
      ]);
      expect((await handle.query(subscriptionStatusQuery)).renewsAt).toBe('2034-02-15T00:00:00.000Z');
    });
  });

  it('charges an upgrade mid-period once, even when the same update is sent twice, and renews at the new price', async () => {
    const billing = fakeBilling({ planId: 'starter', interval: 'month', trialEndsAt: '2031-03-01T00:00:00.000Z' });
    await withSubscription(billing, async (handle) => {
      await sleepUntil('2031-03-16T12:00:00.000Z');
      const upgrade = request('unlimited', 'month', 'idem-1');
      const first = await handle.executeUpdate(planChangeUpdate, { args: [upgrade], updateId: 'plan-change-idem-1' });
      const repeat = await handle.executeUpdate(planChangeUpdate, { args: [upgrade], updateId: 'plan-change-idem-1' });

      expect(first).toMatchObject({ status: 'applied', kind: 'upgrade', planId: 'unlimited' });
      expect(repeat).toEqual(first);
      expect(billing.upgrades).toEqual([{ requestKey: 'idem-1', at: expect.stringMatching(/^2031-03-16T12:00/) }]);
      await sleepUntil('2031-04-02T00:00:00.000Z');
      expect(billing.renewals.map((r) => [r.at, r.planId, r.amount])).toEqual([
        ['2031-03-01T00:00:00.000Z', 'starter', 9700],
        ['2031-04-01T00:00:00.000Z', 'unlimited', 29700],
      ]);
    });
  });

  it('applies a scheduled downgrade exactly at the end of the period, not before', async () => {
    const billing = fakeBilling({ planId: 'pro', interval: 'month', trialEndsAt: '2031-03-01T00:00:00.000Z' });
    await withSubscription(billing, async (handle) => {
      await sleepUntil('2031-03-10T00:00:00.000Z');
      const scheduled = await handle.executeUpdate(planChangeUpdate, { args: [request('starter', 'month')] });
      expect(scheduled).toMatchObject({ status: 'scheduled', effectiveAt: '2031-04-01T00:00:00.000Z' });

      await sleepUntil('2031-03-31T23:59:59.000Z');
      expect(billing.sub.planId).toBe('pro');
      expect((await handle.query(subscriptionStatusQuery)).pendingChange).toEqual({
        planId: 'starter',
        interval: 'month',
      });

      await sleepUntil('2031-04-01T00:00:01.000Z');
      expect(billing.renewals.at(-1)).toEqual({
        at: '2031-04-01T00:00:00.000Z',
        periodStart: '2031-04-01T00:00:00.000Z',
        planId: 'starter',
        amount: 9700,
      });
      expect(billing.sub.planId).toBe('starter');
    });
  });

  it('never applies a scheduled downgrade that was cancelled', async () => {
    const billing = fakeBilling({ planId: 'pro', interval: 'month', trialEndsAt: '2031-03-01T00:00:00.000Z' });
    await withSubscription(billing, async (handle) => {
      await sleepUntil('2031-03-10T00:00:00.000Z');
      await handle.executeUpdate(planChangeUpdate, { args: [request('starter', 'month')] });
      const canceled = await handle.executeUpdate(cancelPlanChangeUpdate, {
        args: [{ actor: { kind: 'user', id: 'user-1' } }],
      });
      expect(canceled).toEqual({ planId: 'starter', interval: 'month', effectiveAt: '2031-04-01T00:00:00.000Z' });

      await sleepUntil('2031-05-02T00:00:00.000Z');
      expect(billing.renewals.map((r) => [r.at, r.planId])).toEqual([
        ['2031-03-01T00:00:00.000Z', 'pro'],
        ['2031-04-01T00:00:00.000Z', 'pro'],
        ['2031-05-01T00:00:00.000Z', 'pro'],
      ]);
    });
  });

  it('rejects a malformed plan change in its validator, before any activity runs', async () => {
    const billing = fakeBilling({ planId: 'starter', interval: 'month', trialEndsAt: '2031-03-01T00:00:00.000Z' });
    await withSubscription(billing, async (handle) => {
      const rejected = await handle
        .executeUpdate(planChangeUpdate, {
          args: [{ ...request('Not A Plan', 'month'), interval: 'week' as Interval }],
        })
        .catch((error: unknown) => error);
      expect(rejected).toBeInstanceOf(WorkflowUpdateFailedError);
      expect((rejected as WorkflowUpdateFailedError).cause).toMatchObject({ type: 'validation.failed' });
      expect(billing.upgrades).toEqual([]);
      expect(billing.sub.pending).toBeUndefined();
    });
  });

  it('records a declined renewal and hands the open invoice over to dunning', async () => {
    const billing = fakeBilling({ planId: 'starter', interval: 'month', trialEndsAt: '2031-03-01T00:00:00.000Z' });
    billing.declines.next = 1;
    await withSubscription(billing, async (handle) => {
      await sleepUntil('2031-03-02T00:00:00.000Z');
      const status = await handle.query(subscriptionStatusQuery);
      expect(status.lastRenewal).toMatchObject({ paid: false, failureCode: 'card_declined' });
      expect(status.awaitingDunning).toBe(status.lastRenewal?.invoiceId);
      expect(billing.charges).toHaveLength(1);
    });
  });
});
