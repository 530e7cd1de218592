import { identityEvents, newEnvelope } from '@crm/contracts';
import { DomainError } from '@crm/platform/errors';
import { appendToOutbox } from '@crm/platform/messaging';
import { sessionsRepository } from '../adapters/sessions.repository';
import { usersRepository, type StaffRow } from '../adapters/users.repository';
import { checkStatusChange, type StatusChange, type User } from '../domain/user';
import type { IdentityDeps } from '../deps';
import { userActor, userSnapshot } from './events';
import { lockManagedUser } from './managed-user';
import { announceRemoval } from './announce-removal';
import { revokePendingInvitation } from './revoke-invitation';

export interface ChangeStaffStatus {
  accountId: string;
  actorUserId: string;
  userId: string;
  change: StatusChange;
}

/**
 * Deactivate (reversible, keeps history), reactivate, or remove a user (PRODUCT.md §2). Deactivating and removing
 * end every session at once; removing also drops the user's calendar and pipeline memberships (listed in the
 * event) and withdraws a pending invitation. The owner and the last active Admin are protected (409).
 */
export async function changeStaffStatus(deps: IdentityDeps, command: ChangeStaffStatus): Promise<StaffRow> {
  if (!['deactivate', 'reactivate', 'remove'].includes(command.change)) {
    throw new DomainError('validation.failed', undefined, {
      message: 'change must be deactivate, reactivate or remove',
    });
  }
  const revokedInvitation = await deps.db.transaction(async (tx) => {
    const { target } = await lockManagedUser(tx, command, `${command.change} this user`);
    const activeAdmins = await usersRepository.lockActiveAdmins(tx, command.accountId);
    const status = checkStatusChange(command.change, target, command.actorUserId, activeAdmins);
    const now = deps.now();
    const changed: User = { ...target, status, updatedAt: now };
    await usersRepository.setStatus(tx, target.accountId, target.id, status, now);
    if (status !== 'active')
      await sessionsRepository.endAllForUser(tx, target.accountId, target.id, command.change, now);
    const actor = userActor(command.actorUserId);
    const base = { accountId: target.accountId, actor };
    if (status === 'active') {
      await appendToOutbox(
        tx,
        newEnvelope(identityEvents.userActivated, {
          ...base,
          payload: {
            accountId: target.accountId,
            user: userSnapshot(changed),
            reason: 'reactivated',
            invitationId: '',
          },
        }),
      );
      return undefined;
    }
    if (status === 'deactivated') {
      await appendToOutbox(
        tx,
        newEnvelope(identityEvents.userDeactivated, {
          ...base,
          payload: { accountId: target.accountId, user: userSnapshot(changed) },
        }),
      );
      return undefined;
    }
    const invitationId =
      target.status === 'invited' ? await revokePendingInvitation(tx, deps, target, command.actorUserId) : undefined;
    await announceRemoval(tx, changed, actor, 'removed');
    return invitationId;
  });
  if (revokedInvitation) await deps.workflows.revoked(revokedInvitation);
  const row = await usersRepository.staffRow(deps.db.pool, command.accountId, command.userId);
  if (!row) throw new DomainError('resource.not_found');
  return row;
}
