import { accountEvents, type PayloadOf } from '@crm/contracts';
import { defineConsumer } from '@crm/platform/messaging';
import { registerAccount } from '../app/register-account';
import type { IdentityDeps } from '../deps';

export const accountCreatedConsumer = defineConsumer<PayloadOf<typeof accountEvents.created>, IdentityDeps>({
  name: 'identity.register-account',
  event: accountEvents.created,
  handle: (tx, { payload, actor }, deps) =>
    registerAccount(tx, deps, {
      accountId: payload.accountId ?? '',
      slug: payload.slug ?? '',
      name: payload.name ?? '',
      timezone: payload.timezone ?? '',
      owner: {
        firstName: payload.owner?.firstName ?? '',
        lastName: payload.owner?.lastName ?? '',
        email: payload.owner?.email ?? '',
        phone: payload.owner?.phone ?? '',
      },
      ownerUserId: payload.ownerUserId ?? '',
      ownerInvitationId: payload.ownerInvitationId ?? '',
      actor,
    }),
});
