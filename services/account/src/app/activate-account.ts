import { accountEvents, newEnvelope } from '@crm/contracts';
import { DomainError } from '@crm/platform/errors';
import { appendToOutbox } from '@crm/platform/messaging';
import { accountsRepository } from '../adapters/accounts.repository';
import type { AccountDeps } from '../deps';

/**
 * Ends provisioning: `provisioning` → `active`, announced as account.account.status_changed.v1.
 * Idempotent: an account already past provisioning is left as it is (an activity may run twice).
 */
export async function activateAccount(deps: AccountDeps, input: { accountId: string }): Promise<void> {
  await deps.db.transaction(async (tx) => {
    const account = await accountsRepository.lockById(tx, input.accountId);
    if (!account) throw new DomainError('account.not_found', { accountId: input.accountId });
    if (account.status !== 'provisioning') return;
    await accountsRepository.updateStatus(tx, account.id, 'active', deps.now());
    await appendToOutbox(
      tx,
      newEnvelope(accountEvents.statusChanged, {
        accountId: account.id,
        actor: { kind: 'system', id: 'account.provisioning' },
        payload: { accountId: account.id, from: 'ACCOUNT_STATUS_PROVISIONING', to: 'ACCOUNT_STATUS_ACTIVE', reason: 'provisioned' },
      }),
    );
  });
}
