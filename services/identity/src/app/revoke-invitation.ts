import { identityEvents, newEnvelope } from '@crm/contracts';
import { DomainError } from '@crm/platform/errors';
import { appendToOutbox } from '@crm/platform/messaging';
import type { Tx } from '@crm/platform/pg';
import { invitationsRepository } from '../adapters/invitations.repository';
import { usersRepository, type StaffRow } from '../adapters/users.repository';
import type { User } from '../domain/user';
import type { IdentityDeps } from '../deps';
import { announceRemoval } from './announce-removal';
import { userActor } from './events';
import { lockManagedUser } from './managed-user';

/**
 * `DELETE /v1/staff/{id}/invitation`: withdraws a pending invitation. Every link dies at once; the invited user is
 * removed (their address may be invited again); the workflow ends.
 */
export async function revokeInvitation(
  deps: IdentityDeps,
  command: { accountId: string; actorUserId: string; userId: string },
): Promise<StaffRow> {
  const invitationId = await deps.db.transaction(async (tx) => {
    const { target } = await lockManagedUser(tx, command, 'revoke this invitation');
    if (target.status !== 'invited') {
      throw new DomainError(
        'resource.conflict',
        { status: target.status },
        { message: `there is no pending invitation: the user is ${target.status}` },
      );
    }
    const id = await revokePendingInvitation(tx, deps, target, command.actorUserId);
    await usersRepository.setStatus(tx, target.accountId, target.id, 'removed', deps.now());
    await announceRemoval(tx, { ...target, status: 'removed' }, userActor(command.actorUserId), 'invitation_revoked');
    return id;
  });
  await deps.workflows.revoked(invitationId);
  const row = await usersRepository.staffRow(deps.db.pool, command.accountId, command.userId);
  if (!row) throw new DomainError('resource.not_found');
  return row;
}

/** Closes the invited user's pending (or expired) invitation as revoked and announces it; returns its id. */
export async function revokePendingInvitation(
  tx: Tx,
  deps: IdentityDeps,
  invitee: User,
  actorUserId: string,
): Promise<string> {
  const invitation = await invitationsRepository.lockLatestForUser(tx, invitee.accountId, invitee.id);
  if (!invitation || invitation.status === 'accepted')
    throw new DomainError('resource.conflict', undefined, { message: 'there is no pending invitation to revoke' });
  const now = deps.now();
  if (invitation.status !== 'revoked') {
    await invitationsRepository.close(tx, invitation.accountId, invitation.id, 'revoked', now);
    await appendToOutbox(
      tx,
      newEnvelope(identityEvents.invitationRevoked, {
        accountId: invitation.accountId,
        actor: userActor(actorUserId),
        payload: {
          accountId: invitation.accountId,
          invitationId: invitation.id,
          userId: invitee.id,
          revokedAt: now.toISOString(),
        },
      }),
    );
  }
  return invitation.id;
}
