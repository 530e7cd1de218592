import { accountEvents, type PayloadOf } from '@crm/contracts';
import { defineConsumer } from '@crm/platform/messaging';
import { registerAccount } from '../app/register-account';
import type { BillingDeps } from '../deps';

export const accountCreatedConsumer = defineConsumer<PayloadOf<typeof accountEvents.created>, BillingDeps>({
  name: 'billing.register-account',
  event: accountEvents.created,
  handle: (tx, { payload }, deps) =>
    registerAccount(tx, deps, {
      accountId: payload.accountId ?? '',
      name: payload.name ?? '',
      planId: payload.planId ?? '',
      interval: payload.interval === 'BILLING_INTERVAL_YEAR' ? 'year' : 'month',
      trialDays: payload.trialDays ?? 0,
      billingEmail: payload.owner?.email ?? '',
    }),
});
