import { identityEvents, newEnvelope, type EventActor } from '@crm/contracts';
import { appendToOutbox } from '@crm/platform/messaging';
import type { Tx } from '@crm/platform/pg';
import { invitationsRepository, type Invitation } from '../adapters/invitations.repository';
import { usersRepository } from '../adapters/users.repository';
import type { AccessChoices, StaffDetails } from '../domain/staff-input';
import type { User } from '../domain/user';
import type { IdentityDeps } from '../deps';
import { userSnapshot } from './events';

export interface NewInvitedUser {
  accountId: string;
  userId: string;
  invitationId: string;
  details: StaffDetails;
  access: AccessChoices;
  isOwner: boolean;
  /** The inviting user; undefined for the owner's invitation (the platform sends it). */
  invitedBy?: string;
  actor: EventActor;
}

/**
 * A user in `invited` status and their pending invitation, announced as identity.user.invited.v1 — from which
 * identity's own consumer starts the `invite-<invitationId>` workflow (so a crash after commit still starts it).
 */
export async function addInvitedUser(
  tx: Tx,
  deps: IdentityDeps,
  command: NewInvitedUser,
): Promise<{ user: User; invitation: Invitation }> {
  const now = deps.now();
  const user: User = {
    id: command.userId,
    accountId: command.accountId,
    ...command.details,
    status: 'invited',
    isOwner: command.isOwner,
    createdAt: now,
    updatedAt: now,
    activatedAt: null,
  };
  const invitation: Invitation = {
    id: command.invitationId,
    accountId: command.accountId,
    userId: user.id,
    status: 'pending',
    generation: 1,
    issuedAt: now,
    expiresAt: new Date(now.getTime() + deps.options.invite.expiresInMs),
    invitedBy: command.invitedBy ?? null,
    calendarIds: command.access.calendarIds,
    pipelineIds: command.access.pipelineIds,
    copyAccessFrom: command.access.copyAccessFrom ?? null,
    createdAt: now,
  };
  await usersRepository.insert(tx, user);
  await invitationsRepository.insert(tx, invitation);
  await appendToOutbox(
    tx,
    newEnvelope(identityEvents.userInvited, {
      accountId: command.accountId,
      actor: command.actor,
      payload: {
        accountId: command.accountId,
        user: userSnapshot(user),
        invitationId: invitation.id,
        expiresAt: invitation.expiresAt.toISOString(),
        invitedByUserId: command.invitedBy ?? '',
      },
    }),
  );
  return { user, invitation };
}
