import { ContractError } from './contract-error';
import { accountEvents, allEvents, allTopics, defineEvent, eventByType, type EventType } from './events';
import { AccountCreatedSchema, AccountStatusChangedSchema } from './gen/crm/account/events/v1/account_events_pb';

function thrownBy(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to throw');
}

describe('defineEvent', () => {
  it('derives the topic <context>.<aggregate> and the parts of the type', () => {
    const event = defineEvent('identity.user.invited.v2', AccountCreatedSchema);

    expect(event).toEqual({
      type: 'identity.user.invited.v2',
      topic: 'identity.user',
      context: 'identity',
      aggregate: 'user',
      name: 'invited',
      version: 2,
      schema: AccountCreatedSchema,
    });
  });

  it('accepts snake_case segments', () => {
    const event = defineEvent('billing.payment_method.status_changed.v1', AccountStatusChangedSchema);

    expect(event.topic).toBe('billing.payment_method');
    expect(event.name).toBe('status_changed');
  });

  it.each([
    ['too few segments', 'account.created.v1'],
    ['no version', 'account.account.created.x1'],
    ['version zero', 'account.account.created.v0'],
    ['upper case', 'Account.account.created.v1'],
    ['camelCase', 'account.account.statusChanged.v1'],
    ['an empty segment', 'account..created.v1'],
    ['a trailing segment', 'account.account.created.v1.extra'],
    ['a leading digit', 'account.1account.created.v1'],
    ['a doubled underscore', 'account.account.status__changed.v1'],
  ])('rejects a type with %s (%s) when it is defined', (_why, type) => {
    const error = thrownBy(() => defineEvent(type as EventType, AccountCreatedSchema));

    expect(error).toBeInstanceOf(ContractError);
    expect(error).toMatchObject({
      code: 'contract.malformed_event_type',
      message: expect.stringContaining(`"${type}"`),
    });
  });
});

describe('the event catalogue', () => {
  it('publishes the account events on topic account.account with their proto schemas', () => {
    expect(accountEvents.created).toMatchObject({
      type: 'account.account.created.v1',
      topic: 'account.account',
      schema: AccountCreatedSchema,
    });
    expect(accountEvents.statusChanged).toMatchObject({
      type: 'account.account.status_changed.v1',
      topic: 'account.account',
      schema: AccountStatusChangedSchema,
    });
  });

  it('lists every event once and every topic once', () => {
    expect(allEvents.map((event) => event.type)).toEqual([
      'account.account.created.v1',
      'account.account.status_changed.v1',
      'identity.user.invited.v1',
      'identity.user.activated.v1',
      'identity.user.updated.v1',
      'identity.user.deactivated.v1',
      'identity.user.removed.v1',
      'identity.invitation.expired.v1',
      'identity.invitation.revoked.v1',
      'identity.profile.created.v1',
      'identity.profile.updated.v1',
      'identity.profile.deleted.v1',
      'identity.permissions.changed.v1',
      'billing.subscription.created.v1',
      'billing.subscription.changed.v1',
      'billing.invoice.created.v1',
      'billing.invoice.paid.v1',
      'billing.invoice.payment_failed.v1',
      'billing.plan_change.scheduled.v1',
      'billing.plan_change.applied.v1',
      'billing.plan_change.canceled.v1',
      'billing.payment_method.updated.v1',
      'billing.custom_plan.requested.v1',
    ]);
    expect(allTopics).toEqual([
      'account.account',
      'identity.user',
      'identity.invitation',
      'identity.profile',
      'identity.permissions',
      'billing.subscription',
      'billing.invoice',
      'billing.plan_change',
      'billing.payment_method',
      'billing.custom_plan',
    ]);
  });

  it('finds an event by its type and knows nothing of other types', () => {
    expect(eventByType('account.account.status_changed.v1')).toBe(accountEvents.statusChanged);
    expect(eventByType('account.account.status_changed.v2')).toBeUndefined();
  });
});
