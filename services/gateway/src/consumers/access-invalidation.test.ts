import { accountEvents, identityEvents, newEnvelope } from '@crm/contracts';
import { evictionFor, invalidationTopics } from './access-invalidation';

const accountId = '4f1c2b9e-7a51-4a43-9d5e-0b6a1f2c3d4e';
const userId = '0e7d1a7c-5b8f-4c1e-a0d2-6f3b9e8c7a61';
const actor = { kind: 'user' as const, id: userId };
const user = {
  userId,
  email: 'grace@acme.test',
  firstName: 'Grace',
  lastName: 'Hopper',
  phone: '+13125550100',
  profileId: 'user',
  status: 'active',
  isOwner: false,
};

describe('evictionFor', () => {
  it('evicts the user whose permissions changed', () => {
    const event = newEnvelope(identityEvents.permissionsChanged, {
      accountId,
      actor,
      payload: { accountId, userId, profileId: 'user', permissions: ['contacts.view'], reason: 'profile_updated' },
    });

    expect(evictionFor(event)).toEqual({ scope: 'user', accountId, userId });
  });

  it.each([
    ['deactivated', newEnvelope(identityEvents.userDeactivated, { accountId, actor, payload: { accountId, user } })],
    [
      'removed',
      newEnvelope(identityEvents.userRemoved, { accountId, actor, payload: { accountId, user, reason: 'removed' } }),
    ],
    [
      'updated',
      newEnvelope(identityEvents.userUpdated, {
        accountId,
        actor,
        payload: { accountId, user, changedFields: ['profileId'] },
      }),
    ],
  ])('evicts a user who was %s', (_what, event) => {
    expect(evictionFor(event)).toEqual({ scope: 'user', accountId, userId });
  });

  it('evicts the whole account when its status changes (paused, closed, …)', () => {
    const event = newEnvelope(accountEvents.statusChanged, {
      accountId,
      actor: { kind: 'system', id: 'billing.dunning' },
      payload: { accountId, from: 'ACCOUNT_STATUS_ACTIVE', to: 'ACCOUNT_STATUS_PAUSED', reason: 'payment_failed' },
    });

    expect(evictionFor(event)).toEqual({ scope: 'account', accountId });
  });

  it('leaves the cache alone for events that change no one’s access', () => {
    const event = newEnvelope(identityEvents.userInvited, {
      accountId,
      actor,
      payload: { accountId, user: { ...user, status: 'invited' }, invitationId: userId, invitedByUserId: userId },
    });

    expect(evictionFor(event)).toBeUndefined();
  });

  it('listens on the topics those events travel on', () => {
    expect(invalidationTopics.sort()).toEqual(['account.account', 'identity.permissions', 'identity.user']);
  });
});
