import { randomUUID } from 'node:crypto';
import { accountEvents, newEnvelope, type EventActor } from '@crm/contracts';
import { DomainError } from '@crm/platform/errors';
import { appendToOutbox } from '@crm/platform/messaging';
import { isUniqueViolation, type Tx } from '@crm/platform/pg';
import { accountsRepository } from '../adapters/accounts.repository';
import { newAccount, slugFromName, type Account, type ProvisionAccount } from '../domain/account';
import type { AccountDeps } from '../deps';

export interface CreateAccount extends ProvisionAccount {
  actor: EventActor;
  /** The caller's Idempotency-Key: the same key returns the account it first created. */
  idempotencyKey?: string;
}

export interface CreatedAccount {
  account: Account;
  /** False when the idempotency key had already created this account. */
  created: boolean;
}

/** Creates an account in `provisioning` status and announces it; the provisioning workflow takes it from there. */
export async function createAccount(deps: AccountDeps, command: CreateAccount): Promise<CreatedAccount> {
  try {
    return await deps.db.transaction(async (tx) => {
      const earlier = command.idempotencyKey && (await accountsRepository.findByCreationKey(tx, command.idempotencyKey));
      if (earlier) return { account: earlier, created: false };
      const slug = command.slug ?? (await freeSlug(tx, slugFromName(command.name)));
      const ids = { id: randomUUID(), ownerUserId: randomUUID(), ownerInvitationId: randomUUID() };
      const account = newAccount(command, ids, deps.now(), slug);
      await accountsRepository.insert(tx, account, command.idempotencyKey);
      await appendToOutbox(tx, accountCreatedEvent(account, command.actor));
      return { account, created: true };
    });
  } catch (error) {
    if (isUniqueViolation(error, 'accounts_creation_key_key') && command.idempotencyKey) {
      const winner = await accountsRepository.findByCreationKey(deps.db.pool, command.idempotencyKey);
      if (winner) return { account: winner, created: false };
    }
    if (isUniqueViolation(error, 'accounts_slug_key')) {
      throw new DomainError('account.slug_taken', { slug: command.slug }, { message: `the slug "${command.slug}" is taken` });
    }
    throw error;
  }
}

/** `acme-dental`, or `acme-dental-2`, `-3`… when taken. */
async function freeSlug(tx: Tx, base: string): Promise<string> {
  const taken = await accountsRepository.slugsStartingWith(tx, base);
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) {
    const candidate = `${base.slice(0, 36)}-${n}`;
    if (!taken.has(candidate)) return candidate;
  }
}

function accountCreatedEvent(account: Account, actor: EventActor) {
  return newEnvelope(accountEvents.created, {
    accountId: account.id,
    actor,
    payload: {
      accountId: account.id,
      name: account.name,
      slug: account.slug,
      timezone: account.timezone,
      owner: account.owner,
      planId: account.planId,
      interval: account.interval === 'month' ? 'BILLING_INTERVAL_MONTH' : 'BILLING_INTERVAL_YEAR',
      trialDays: account.trialDays,
      createdAt: account.createdAt.toISOString(),
      ownerUserId: account.ownerUserId,
      ownerInvitationId: account.ownerInvitationId,
    },
  });
}
