import { identityEvents, newEnvelope } from '@crm/contracts';
import { DomainError } from '@crm/platform/errors';
import { appendToOutbox } from '@crm/platform/messaging';
import { activityRepository } from '../adapters/activity.repository';
import { accountsRepository } from '../adapters/accounts.repository';
import { credentialsRepository } from '../adapters/credentials.repository';
import { invitationsRepository } from '../adapters/invitations.repository';
import { usersRepository } from '../adapters/users.repository';
import { assertAcceptablePassword } from '../domain/password-policy';
import type { IdentityDeps } from '../deps';
import { userActor, userSnapshot } from './events';
import { usableInvitation } from './invitation-by-token';
import type { RequestOrigin } from './request-origin';

export interface AcceptInvitation {
  token: string;
  password: string;
  origin: RequestOrigin;
}

export interface AcceptedInvitation {
  accountId: string;
  accountSlug: string;
  userId: string;
  email: string;
}

/**
 * The invitee sets a password and becomes `active`. The invitation row is locked and checked again inside the
 * transaction, so of any number of concurrent accepts of one link exactly one activates; the others get 410.
 * The invite workflow hears of it through identity.user.activated.v1 (identity's own consumer signals it).
 */
export async function acceptInvitation(deps: IdentityDeps, command: AcceptInvitation): Promise<AcceptedInvitation> {
  const found = await usableInvitation(deps.db.pool, command.token, deps.now());
  const invitee = await usersRepository.findById(deps.db.pool, found.accountId, found.userId);
  if (!invitee) throw new DomainError('identity.invite_not_found');
  assertAcceptablePassword(command.password, { email: invitee.email });
  const passwordHash = await deps.passwords.hash(command.password); // slow on purpose: outside the transaction

  return deps.db.transaction(async (tx) => {
    const now = deps.now();
    const invitation = await usableInvitation(tx, command.token, now, true);
    const user = await usersRepository.lockById(tx, invitation.accountId, invitation.userId);
    const account = await accountsRepository.findById(tx, invitation.accountId);
    if (!user || !account) throw new DomainError('identity.invite_not_found');
    if (user.status !== 'invited') throw new DomainError('identity.invite_used', { invitationId: invitation.id });
    await credentialsRepository.save(tx, user.accountId, user.id, passwordHash, now);
    await usersRepository.setStatus(tx, user.accountId, user.id, 'active', now);
    await invitationsRepository.close(tx, invitation.accountId, invitation.id, 'accepted', now);
    const activated = { ...user, status: 'active' as const, activatedAt: now };
    await appendToOutbox(
      tx,
      newEnvelope(identityEvents.userActivated, {
        accountId: user.accountId,
        actor: userActor(user.id),
        payload: {
          accountId: user.accountId,
          user: userSnapshot(activated),
          reason: 'invitation_accepted',
          invitationId: invitation.id,
        },
      }),
    );
    await activityRepository.insert(tx, {
      accountId: user.accountId,
      actorUserId: user.id,
      action: 'invitation.accept',
      target: `user:${user.id}`,
      occurredAt: now,
      ip: command.origin.ip,
      userAgent: command.origin.userAgent,
      result: 'success',
      statusCode: 200,
    });
    return { accountId: account.id, accountSlug: account.slug, userId: user.id, email: user.email };
  });
}
