import { identityEvents, type PayloadOf } from '@crm/contracts';
import { defineConsumer } from '@crm/platform/messaging';
import type { IdentityDeps } from '../deps';

/** identity.user.invited.v1 (identity's own) → starts `invite-<invitationId>`; a redelivery finds it started. */
export const userInvitedConsumer = defineConsumer<PayloadOf<typeof identityEvents.userInvited>, IdentityDeps>({
  name: 'identity.start-invite-workflow',
  event: identityEvents.userInvited,
  handle: (_tx, { payload, accountId }, deps) =>
    deps.workflows.start({ accountId, invitationId: payload.invitationId ?? '', generation: 1 }),
});
