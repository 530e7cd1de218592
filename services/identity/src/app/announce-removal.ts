import { identityEvents, newEnvelope, type EventActor } from '@crm/contracts';
import { appendToOutbox } from '@crm/platform/messaging';
import type { Tx } from '@crm/platform/pg';
import { membershipsRepository } from '../adapters/memberships.repository';
import type { User } from '../domain/user';
import { userSnapshot } from './events';

/** Drops the user's memberships and announces the removal with them, so scheduling can redistribute. */
export async function announceRemoval(
  tx: Tx,
  user: User,
  actor: EventActor,
  reason: 'removed' | 'invitation_revoked',
): Promise<void> {
  const dropped = await membershipsRepository.removeAllForUser(tx, user.accountId, user.id);
  await appendToOutbox(
    tx,
    newEnvelope(identityEvents.userRemoved, {
      accountId: user.accountId,
      actor,
      payload: {
        accountId: user.accountId,
        user: userSnapshot(user),
        reason,
        calendarIds: dropped.filter((m) => m.kind === 'calendar').map((m) => m.resourceId),
        pipelineIds: dropped.filter((m) => m.kind === 'pipeline').map((m) => m.resourceId),
      },
    }),
  );
}
