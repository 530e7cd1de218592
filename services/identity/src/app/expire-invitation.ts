import { identityEvents, newEnvelope } from '@crm/contracts';
import type { InvitationRef, InvitationStepResult } from '@crm/workflows/messages';
import { DomainError } from '@crm/platform/errors';
import { appendToOutbox } from '@crm/platform/messaging';
import { invitationsRepository } from '../adapters/invitations.repository';
import type { IdentityDeps } from '../deps';
import { systemActor } from './events';

/** For the invite workflow: a pending invitation of this generation expires (announced); anything else is left. */
export async function expireInvitation(
  deps: IdentityDeps,
  input: InvitationRef & { generation: number },
): Promise<InvitationStepResult> {
  return deps.db.transaction(async (tx) => {
    const invitation = await invitationsRepository.lockById(tx, input.accountId, input.invitationId);
    if (!invitation) throw new DomainError('identity.invite_not_found', { invitationId: input.invitationId });
    if (invitation.status !== 'pending' || invitation.generation !== input.generation) {
      return { state: invitation.status, generation: invitation.generation };
    }
    const now = deps.now();
    await invitationsRepository.close(tx, invitation.accountId, invitation.id, 'expired', now);
    await appendToOutbox(
      tx,
      newEnvelope(identityEvents.invitationExpired, {
        accountId: invitation.accountId,
        actor: systemActor('identity.invite'),
        payload: {
          accountId: invitation.accountId,
          invitationId: invitation.id,
          userId: invitation.userId,
          expiredAt: now.toISOString(),
        },
      }),
    );
    return { state: 'expired', generation: invitation.generation };
  });
}
