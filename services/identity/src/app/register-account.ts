import type { Tx } from '@crm/platform/pg';
import { accountsRepository } from '../adapters/accounts.repository';
import type { IdentityDeps } from '../deps';

export interface RegisterAccount {
  accountId: string;
  slug: string;
  name: string;
  timezone: string;
  ownerEmail: string;
}

/** Identity learns of a new account (inside the consumer's inbox transaction). */
export async function registerAccount(tx: Tx, deps: IdentityDeps, command: RegisterAccount): Promise<void> {
  await accountsRepository.register(tx, {
    id: command.accountId,
    slug: command.slug,
    name: command.name,
    timezone: command.timezone,
    ownerEmail: command.ownerEmail.toLowerCase(),
    registeredAt: deps.now(),
  });
}
