import { timestampDate, timestampFromDate } from '@bufbuild/protobuf/wkt';
import Stripe from 'stripe';
import { BillingInterval, InvoiceLineKind, InvoiceStatus, PlanChangeKind, SubscriptionStatus } from '@crm/contracts';
import { DomainError } from '@crm/platform/errors';
import { domainErrorOf } from './support/domain-error-of';
import { eventually, stackEnv } from '@crm/testing';
import { subscriptionStatusQuery, subscriptionWorkflowId } from '@crm/workflows/messages';
import { billingAccountsRepository } from '../src/adapters/billing-accounts.repository';
import { DECLINING_CARD, ownerActor, startBillingHarness, type BillingHarness } from './support/billing-harness';

jest.setTimeout(90_000);

const stripe = () => {
  const base = new URL(stackEnv().STRIPE_API_BASE);
  return new Stripe('sk_test_local_emulator', {
    host: base.hostname,
    port: Number(base.port),
    protocol: 'http',
    maxNetworkRetries: 0,
  });
};

describe('billing subscriptions on the real stack', () => {
  let billing: BillingHarness;
  beforeAll(async () => {
    billing = await startBillingHarness();
  });
  afterAll(() => billing?.close());

  const overview = (accountId: string) => billing.client.getBillingOverview({ accountId });
  const chargesAtStripe = async (accountId: string) => {
    const account = await billingAccountsRepository.find(billing.deps.db.pool, accountId);
    if (!account?.stripeCustomerId) return [];
    return (await stripe().charges.list({ customer: account.stripeCustomerId, limit: 100 })).data;
  };

  it('opens a trial subscription and its workflow, findable by account id, when billing registers an account', async () => {
    const accountId = await billing.registerNewAccount({ planId: 'unlimited', trialDays: 14 });

    const page = await overview(accountId);
    expect(page.status).toBe(SubscriptionStatus.TRIALING);
    expect(page.plan?.id).toBe('unlimited');
    expect(timestampDate(page.trialEndsAt!).getTime() - Date.now()).toBeGreaterThan(13.9 * 86_400_000);
    expect(page.nextInvoice).toMatchObject({ amount: 29700n, currency: 'usd', planId: 'unlimited' });
    expect(page.warnings.map((w) => w.code)).toEqual(
      expect.arrayContaining(['no_payment_method', 'no_billing_address']),
    );

    const handle = billing.deps.temporal.workflow.getHandle(subscriptionWorkflowId(accountId));
    const description = await handle.describe();
    expect(description.typedSearchAttributes.getAll().map((pair) => [pair.key.name, pair.value])).toContainEqual([
      'AccountId',
      accountId,
    ]);
    const status = await eventually(async () => {
      const seen = await handle.query(subscriptionStatusQuery);
      return seen.state ? seen : undefined;
    });
    expect(status).toMatchObject({ accountId, state: 'trialing', planId: 'unlimited', phase: 'waiting' });
    expect(await billing.eventsOf(accountId, 'billing.subscription.created.v1')).toHaveLength(1);
  });

  it('bills the first period at once without a trial, records the failure without a card, and collects it when a card is added', async () => {
    const accountId = await billing.registerNewAccount({ planId: 'starter', trialDays: 0 });

    const unpaid = await eventually(async () => {
      const { invoices } = await billing.client.listInvoices({ accountId });
      return invoices[0]?.lastFailureCode ? invoices[0] : undefined;
    });
    expect(unpaid).toMatchObject({
      status: InvoiceStatus.OPEN,
      number: 1,
      displayNumber: 'INV-000001',
      amountDue: 9700n,
      lastFailureCode: 'no_payment_method',
      attemptCount: 1,
    });
    const pastDue = await eventually(async () =>
      (await overview(accountId)).status === SubscriptionStatus.PAST_DUE ? overview(accountId) : undefined,
    );
    expect(pastDue.warnings.map((w) => w.code)).toContain('payment_failed');
    expect(await billing.eventsOf(accountId, 'billing.invoice.payment_failed.v1')).toEqual([
      expect.objectContaining({
        payload: expect.objectContaining({ invoiceId: unpaid.id, failureCode: 'no_payment_method', attempt: 1 }),
      }),
    ]);

    const saved = await billing.addCard(accountId);

    expect(saved.paymentMethod).toMatchObject({ brand: 'visa', last4: '4242' });
    expect(saved.retriedInvoices).toEqual([
      expect.objectContaining({ id: unpaid.id, status: InvoiceStatus.PAID, amountPaid: 9700n }),
    ]);
    expect((await overview(accountId)).status).toBe(SubscriptionStatus.ACTIVE);
    expect(await chargesAtStripe(accountId)).toHaveLength(1);
  });

  it('upgrades mid-period: the invoice carries exactly the previewed lines, is charged once, and a repeat changes nothing', async () => {
    const accountId = await billing.registerNewAccount({ planId: 'starter', trialDays: 0 });
    await eventually(async () =>
      (await billing.client.listInvoices({ accountId })).invoices[0]?.attemptCount ? true : undefined,
    );
    await billing.addCard(accountId);

    const preview = await billing.client.previewPlanChange({
      accountId,
      planId: 'unlimited',
      interval: BillingInterval.MONTH,
    });
    expect(preview.kind).toBe(PlanChangeKind.UPGRADE);
    expect(preview.lines.map((line) => line.kind)).toEqual([
      InvoiceLineKind.PRORATION_CREDIT,
      InvoiceLineKind.PRORATION_CHARGE,
    ]);
    expect(preview.amountDueNow).toBe(preview.lines.reduce((sum, line) => sum + line.amount, 0n));
    expect(preview.amountDueNow).toBeGreaterThan(0n);

    const request = {
      accountId,
      actor: ownerActor(),
      planId: 'unlimited',
      interval: BillingInterval.MONTH,
      idempotencyKey: 'upgrade-1',
      prorationDate: preview.prorationDate,
    };
    const [applied, concurrent] = await Promise.all([
      billing.client.changePlan(request),
      billing.client.changePlan(request),
    ]);
    const repeated = await billing.client.changePlan(request);

    expect(applied).toMatchObject({
      status: 'applied',
      kind: PlanChangeKind.UPGRADE,
      planId: 'unlimited',
      amountCharged: preview.amountDueNow,
    });
    expect(applied.invoice?.status).toBe(InvoiceStatus.PAID);
    expect(applied.invoice?.lines).toEqual(preview.lines);
    expect(concurrent).toEqual(applied);
    expect(repeated).toEqual(applied);
    expect((await overview(accountId)).plan?.id).toBe('unlimited');
    const charges = await chargesAtStripe(accountId);
    expect(charges.map((charge) => charge.amount).sort((a, b) => a - b)).toEqual(
      [9700, Number(preview.amountDueNow)].sort((a, b) => a - b),
    );
    expect(await billing.eventsOf(accountId, 'billing.plan_change.applied.v1')).toEqual([
      expect.objectContaining({
        payload: expect.objectContaining({
          fromPlanId: 'starter',
          toPlanId: 'unlimited',
          kind: 'PLAN_CHANGE_KIND_UPGRADE',
          invoiceId: applied.invoice?.id,
        }),
      }),
    ]);
  });

  it('refuses to reuse an Idempotency-Key for a different plan change', async () => {
    const accountId = await billing.registerNewAccount({ planId: 'pro', trialDays: 14 });
    await billing.client.changePlan({
      accountId,
      actor: ownerActor(),
      planId: 'unlimited',
      interval: BillingInterval.MONTH,
      idempotencyKey: 'k-1',
    });
    const reused = billing.client.changePlan({
      accountId,
      actor: ownerActor(),
      planId: 'starter',
      interval: BillingInterval.MONTH,
      idempotencyKey: 'k-1',
    });
    expect(await domainErrorOf(reused)).toMatchObject({ code: 'idempotency.key_reused' });
  });

  it('leaves the plan unchanged when the card is declined, and says why', async () => {
    const accountId = await billing.registerNewAccount({ planId: 'starter', trialDays: 0 });
    await eventually(async () =>
      (await billing.client.listInvoices({ accountId })).invoices[0]?.attemptCount ? true : undefined,
    );
    await billing.addCard(accountId); // pays the first invoice
    await billing.addCard(accountId, DECLINING_CARD);

    const upgrade = await domainErrorOf(
      billing.client.changePlan({
        accountId,
        actor: ownerActor(),
        planId: 'pro',
        interval: BillingInterval.MONTH,
        idempotencyKey: 'declined-1',
      }),
    );

    expect(upgrade).toBeInstanceOf(DomainError);
    expect(upgrade).toMatchObject({
      code: 'billing.card_declined',
      message: expect.stringContaining('The plan was not changed'),
    });
    const page = await overview(accountId);
    expect(page.plan?.id).toBe('starter');
    expect(page.status).toBe(SubscriptionStatus.ACTIVE);
    const { invoices } = await billing.client.listInvoices({ accountId });
    expect(invoices[0]).toMatchObject({ status: InvoiceStatus.VOID, lastFailureCode: 'card_declined' });
    const again = billing.client.changePlan({
      accountId,
      actor: ownerActor(),
      planId: 'pro',
      interval: BillingInterval.MONTH,
      idempotencyKey: 'declined-1',
    });
    expect(await domainErrorOf(again)).toMatchObject({ code: 'billing.card_declined' });
    expect((await chargesAtStripe(accountId)).filter((charge) => charge.status === 'failed')).toHaveLength(1);
  });

  it('asks for a card before an upgrade after the trial', async () => {
    const accountId = await billing.registerNewAccount({ planId: 'starter', trialDays: 0 });
    await eventually(async () =>
      (await billing.client.listInvoices({ accountId })).invoices[0]?.attemptCount ? true : undefined,
    );
    const upgrade = billing.client.changePlan({
      accountId,
      actor: ownerActor(),
      planId: 'pro',
      interval: BillingInterval.MONTH,
      idempotencyKey: '',
    });
    expect(await domainErrorOf(upgrade)).toMatchObject({ code: 'billing.no_payment_method' });
  });

  it('schedules a downgrade for the period end, shows it as pending in the next invoice, and cancels it', async () => {
    const accountId = await billing.registerNewAccount({ planId: 'pro', trialDays: 0 });
    await eventually(async () =>
      (await billing.client.listInvoices({ accountId })).invoices[0]?.attemptCount ? true : undefined,
    );
    await billing.addCard(accountId);
    const periodEnd = (await overview(accountId)).currentPeriodEnd;

    const scheduled = await billing.client.changePlan({
      accountId,
      actor: ownerActor(),
      planId: 'starter',
      interval: BillingInterval.MONTH,
      idempotencyKey: '',
    });
    expect(scheduled).toMatchObject({
      status: 'scheduled',
      kind: PlanChangeKind.DOWNGRADE,
      effectiveAt: periodEnd,
      amountCharged: 0n,
    });
    const replaced = await billing.client.changePlan({
      accountId,
      actor: ownerActor(),
      planId: 'unlimited',
      interval: BillingInterval.MONTH,
      idempotencyKey: '',
    });
    expect(replaced.status).toBe('scheduled');
    const pending = await overview(accountId);
    expect(pending.plan?.id).toBe('pro');
    expect(pending.pendingChange).toMatchObject({
      planId: 'unlimited',
      interval: BillingInterval.MONTH,
      effectiveAt: periodEnd,
    });
    expect(pending.nextInvoice).toMatchObject({ date: periodEnd, amount: 29700n, planId: 'unlimited' });

    const canceled = await billing.client.cancelPlanChange({ accountId, actor: ownerActor() });
    expect(canceled.canceled).toMatchObject({ planId: 'unlimited' });
    const after = await overview(accountId);
    expect(after.pendingChange).toBeUndefined();
    expect(after.nextInvoice).toMatchObject({ amount: 49700n, planId: 'pro' });
    expect(await domainErrorOf(billing.client.cancelPlanChange({ accountId, actor: ownerActor() }))).toMatchObject({
      code: 'billing.no_pending_change',
    });
    expect(
      (await billing.eventsOf(accountId))
        .map((event) => event.type)
        .filter((type) => type.startsWith('billing.plan_change')),
    ).toEqual([
      'billing.plan_change.scheduled.v1',
      'billing.plan_change.canceled.v1',
      'billing.plan_change.scheduled.v1',
      'billing.plan_change.canceled.v1',
    ]);
  });

  it('moves from monthly to annual as an upgrade that starts a new annual period now', async () => {
    const accountId = await billing.registerNewAccount({ planId: 'starter', trialDays: 0 });
    await eventually(async () =>
      (await billing.client.listInvoices({ accountId })).invoices[0]?.attemptCount ? true : undefined,
    );
    await billing.addCard(accountId);

    const changed = await billing.client.changePlan({
      accountId,
      actor: ownerActor(),
      planId: 'starter',
      interval: BillingInterval.YEAR,
      idempotencyKey: 'annual',
    });
    const page = await overview(accountId);
    const start = timestampDate(page.currentPeriodStart!);
    const end = timestampDate(page.currentPeriodEnd!);
    expect(changed).toMatchObject({ status: 'applied', kind: PlanChangeKind.UPGRADE });
    expect(page.interval).toBe(BillingInterval.YEAR);
    expect(Math.abs(start.getTime() - Date.now())).toBeLessThan(60_000);
    expect(end.getUTCFullYear() - start.getUTCFullYear()).toBe(1);
    expect(changed.invoice?.lines[1]).toMatchObject({ kind: InvoiceLineKind.PRORATION_CHARGE, amount: 97000n });
  });

  it('refuses a stale proration date and an unknown plan with field errors', async () => {
    const accountId = await billing.registerNewAccount({ planId: 'starter', trialDays: 14 });
    const stale = billing.client.changePlan({
      accountId,
      actor: ownerActor(),
      planId: 'pro',
      interval: BillingInterval.MONTH,
      idempotencyKey: '',
      prorationDate: timestampFromDate(new Date(Date.now() - 2 * 3_600_000)),
    });
    expect(await domainErrorOf(stale)).toMatchObject({
      code: 'validation.failed',
      fieldErrors: [expect.objectContaining({ field: 'prorationDate' })],
    });
    expect(
      await domainErrorOf(
        billing.client.previewPlanChange({ accountId, planId: 'platinum', interval: BillingInterval.MONTH }),
      ),
    ).toMatchObject({ code: 'billing.plan_not_found' });
    expect(
      await domainErrorOf(
        billing.client.previewPlanChange({ accountId, planId: 'starter', interval: BillingInterval.MONTH }),
      ),
    ).toMatchObject({ code: 'billing.same_plan' });
  });
});
