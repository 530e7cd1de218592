import { DomainError } from '@crm/platform/errors';
import { accountsRepository } from '../adapters/accounts.repository';
import { usersRepository } from '../adapters/users.repository';
import type { IdentityDeps } from '../deps';
import { usableInvitation } from './invitation-by-token';

export interface InvitationView {
  accountName: string;
  email: string;
  firstName: string;
  expiresAt: Date;
}

/** What the accept page shows: the account, the email the invitee will sign in with, the expiry. */
export async function getInvitation(deps: IdentityDeps, token: string): Promise<InvitationView> {
  const invitation = await usableInvitation(deps.db.pool, token, deps.now());
  const account = await accountsRepository.findById(deps.db.pool, invitation.accountId);
  const user = await usersRepository.findById(deps.db.pool, invitation.accountId, invitation.userId);
  if (!account || !user) throw new DomainError('identity.invite_not_found');
  return { accountName: account.name, email: user.email, firstName: user.firstName, expiresAt: invitation.expiresAt };
}
