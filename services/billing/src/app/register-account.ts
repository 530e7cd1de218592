import type { Tx } from '@crm/platform/pg';
import { billingAccountsRepository } from '../adapters/billing-accounts.repository';
import type { BillingDeps } from '../deps';

export interface RegisterBillingAccount {
  accountId: string;
  name: string;
  planId: string;
  interval: 'month' | 'year';
  trialDays: number;
  /** The owner's email until an admin sets a billing email. */
  billingEmail: string;
}

/** Billing learns of a new account and the plan it starts on (inside the consumer's inbox transaction). */
export async function registerAccount(tx: Tx, deps: BillingDeps, command: RegisterBillingAccount): Promise<void> {
  await billingAccountsRepository.register(tx, { ...command, billingEmail: command.billingEmail.toLowerCase(), registeredAt: deps.now() });
}
