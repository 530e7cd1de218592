import type { Queryable } from '@crm/platform/pg';
import { accountsRepository, type IdentityAccount } from '../adapters/accounts.repository';
import { invitationsRepository, type Invitation } from '../adapters/invitations.repository';
import { usersRepository } from '../adapters/users.repository';
import type { User } from '../domain/user';

export interface InvitationContext {
  invitation: Invitation;
  invitee: User;
  account: IdentityAccount;
  inviter?: User;
}

/** The invitation with the people and account its emails talk about; throws when it does not exist. */
export async function loadInvitationContext(
  db: Queryable,
  ref: { accountId: string; invitationId: string },
): Promise<InvitationContext> {
  const invitation = await invitationsRepository.findById(db, ref.accountId, ref.invitationId);
  const account = await accountsRepository.findById(db, ref.accountId);
  const invitee = invitation && (await usersRepository.findById(db, ref.accountId, invitation.userId));
  if (!invitation || !account || !invitee)
    throw new Error(`invitation ${ref.invitationId} of account ${ref.accountId} is not recorded`);
  const inviter = invitation.invitedBy
    ? await usersRepository.findById(db, ref.accountId, invitation.invitedBy)
    : undefined;
  return { invitation, invitee, account, inviter };
}
