import { DomainError } from '@crm/platform/errors';
import { invitationsRepository } from '../adapters/invitations.repository';
import { usersRepository, type StaffRow } from '../adapters/users.repository';
import type { IdentityDeps } from '../deps';
import { lockManagedUser } from './managed-user';

/**
 * `POST /v1/staff/{id}/invitation/resend`: a new generation of the invitation — every earlier link dies now, the
 * expiry clock restarts — then the workflow is signalled (or started again, when the invitation had expired) and
 * emails the new link. A failed signal leaves the renewal committed: repeating the call is safe.
 */
export async function resendInvitation(
  deps: IdentityDeps,
  command: { accountId: string; actorUserId: string; userId: string },
): Promise<StaffRow> {
  const renewed = await deps.db.transaction(async (tx) => {
    const { target } = await lockManagedUser(tx, command, 'resend this invitation');
    const invitation =
      target.status === 'invited'
        ? await invitationsRepository.lockLatestForUser(tx, target.accountId, target.id)
        : undefined;
    if (!invitation || (invitation.status !== 'pending' && invitation.status !== 'expired')) {
      throw new DomainError(
        'resource.conflict',
        { status: target.status },
        { message: `there is no invitation to resend: the user is ${target.status}` },
      );
    }
    const now = deps.now();
    const expiresAt = new Date(now.getTime() + deps.options.invite.expiresInMs);
    const generation = await invitationsRepository.renew(tx, invitation.accountId, invitation.id, now, expiresAt);
    return { accountId: invitation.accountId, invitationId: invitation.id, generation };
  });
  await deps.workflows.resent(renewed);
  const row = await usersRepository.staffRow(deps.db.pool, command.accountId, command.userId);
  if (!row) throw new DomainError('resource.not_found');
  return row;
}
