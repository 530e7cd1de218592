import { identityEvents, type PayloadOf } from '@crm/contracts';
import { defineConsumer } from '@crm/platform/messaging';
import type { IdentityDeps } from '../deps';

/** identity.user.activated.v1 (identity's own) after an acceptance → signals the invite workflow to onboard. */
export const userActivatedConsumer = defineConsumer<PayloadOf<typeof identityEvents.userActivated>, IdentityDeps>({
  name: 'identity.signal-invitation-accepted',
  event: identityEvents.userActivated,
  handle: async (_tx, { payload }, deps) => {
    if (payload.reason === 'invitation_accepted' && payload.invitationId)
      await deps.workflows.accepted(payload.invitationId);
  },
});
