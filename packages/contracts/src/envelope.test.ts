import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { ContractError } from './contract-error';
import { decodeEvent, encodeEvent, newEnvelope, type EnvelopeOf, type NewEnvelopeInput } from './envelope';
import { accountEvents } from './events';
import { AccountCreatedSchema, type AccountCreatedJson } from './gen/crm/account/events/v1/account_events_pb';
import { BillingInterval } from './gen/crm/billing/v1/plan_pb';

const accountId = '0b9d7f3e-4c1a-4e8b-9a55-2f7c1d6e8a10';

function anAccountCreatedPayload(overrides: Partial<AccountCreatedJson> = {}): AccountCreatedJson {
  return {
    accountId,
    name: 'Acme Plumbing',
    slug: 'acme-plumbing',
    timezone: 'Europe/Paris',
    owner: { firstName: 'Ada', lastName: 'Moreau', email: 'ada@acme.test', phone: '+33612345678' },
    planId: 'starter',
    interval: 'BILLING_INTERVAL_MONTH',
    trialDays: 14,
    createdAt: '2026-03-01T09:30:00Z',
    ownerUserId: '3c1f9a2e-5b7d-4e8f-9a10-6b2c4d8e0f12',
    ownerInvitationId: '8e2d4f6a-1b3c-4d5e-8f70-9a1b2c3d4e5f',
    ...overrides,
  };
}

function anAccountCreatedEvent(
  overrides: Partial<NewEnvelopeInput<typeof accountEvents.created>> = {},
): EnvelopeOf<typeof accountEvents.created> {
  return newEnvelope(accountEvents.created, {
    id: '5f0c6a52-8d3e-4b7f-a1c9-3e2d4f6a8b01',
    occurredAt: '2026-03-01T09:30:00.123Z',
    accountId,
    actor: { kind: 'operator', id: 'support-7' },
    trace: { traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' },
    payload: anAccountCreatedPayload(),
    ...overrides,
  });
}

/** The proto-JSON of an envelope as it lies on Kafka (see envelope.proto). */
interface WireEvent {
  [field: string]: unknown;
  id: string;
  type: string;
  occurredAt: string;
  actor: { kind: string; id: string };
  payload: Record<string, unknown>;
}

/** The record value as another producer could have written it, altered by `change`. */
function aWireEvent(change: (json: WireEvent) => void): Buffer {
  const json = JSON.parse(encodeEvent(anAccountCreatedEvent()).toString('utf8')) as WireEvent;
  change(json);
  return Buffer.from(JSON.stringify(json), 'utf8');
}

function thrownBy(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to throw');
}

describe('encodeEvent and decodeEvent', () => {
  it('give back the envelope that was encoded', () => {
    const event = anAccountCreatedEvent();

    expect(decodeEvent(encodeEvent(event))).toEqual({
      id: '5f0c6a52-8d3e-4b7f-a1c9-3e2d4f6a8b01',
      type: 'account.account.created.v1',
      occurredAt: '2026-03-01T09:30:00.123Z',
      accountId,
      actor: { kind: 'operator', id: 'support-7' },
      trace: { traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' },
      payload: {
        accountId,
        name: 'Acme Plumbing',
        slug: 'acme-plumbing',
        timezone: 'Europe/Paris',
        owner: { firstName: 'Ada', lastName: 'Moreau', email: 'ada@acme.test', phone: '+33612345678' },
        planId: 'starter',
        interval: 'BILLING_INTERVAL_MONTH',
        trialDays: 14,
        createdAt: '2026-03-01T09:30:00Z',
        ownerUserId: '3c1f9a2e-5b7d-4e8f-9a10-6b2c4d8e0f12',
        ownerInvitationId: '8e2d4f6a-1b3c-4d5e-8f70-9a1b2c3d4e5f',
      },
    });
  });

  it('write the proto-JSON form of crm.events.v1.EventEnvelope', () => {
    const wire = JSON.parse(encodeEvent(anAccountCreatedEvent()).toString('utf8'));

    expect(wire).toEqual({
      id: '5f0c6a52-8d3e-4b7f-a1c9-3e2d4f6a8b01',
      type: 'account.account.created.v1',
      occurredAt: '2026-03-01T09:30:00.123Z',
      accountId,
      actor: { kind: 'ACTOR_KIND_OPERATOR', id: 'support-7' },
      trace: { traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' },
      payload: expect.objectContaining({ interval: 'BILLING_INTERVAL_MONTH', trialDays: 14 }),
    });
  });

  it('keep a payload field at its default value (no trial) on the wire', () => {
    const event = anAccountCreatedEvent({ payload: anAccountCreatedPayload({ trialDays: 0 }) });

    const decoded = decodeEvent(encodeEvent(event));

    expect(decoded.payload).toHaveProperty('trialDays', 0);
  });

  it('let a consumer narrow the decoded event by its type', () => {
    const decoded = decodeEvent(encodeEvent(anAccountCreatedEvent()));

    const email = decoded.type === accountEvents.created.type ? decoded.payload.owner?.email : undefined;

    expect(email).toBe('ada@acme.test');
  });
});

describe('newEnvelope', () => {
  it('accepts the payload as a message and writes it in proto-JSON form', () => {
    const event = anAccountCreatedEvent({
      payload: create(AccountCreatedSchema, {
        accountId,
        name: 'Acme Plumbing',
        slug: 'acme-plumbing',
        timezone: 'Europe/Paris',
        planId: 'pro',
        interval: BillingInterval.YEAR,
        trialDays: 0,
        createdAt: timestampFromDate(new Date('2026-03-01T09:30:00Z')),
      }),
    });

    expect(event.payload).toEqual({
      accountId,
      name: 'Acme Plumbing',
      slug: 'acme-plumbing',
      timezone: 'Europe/Paris',
      planId: 'pro',
      interval: 'BILLING_INTERVAL_YEAR',
      trialDays: 0,
      createdAt: '2026-03-01T09:30:00Z',
      ownerUserId: '',
      ownerInvitationId: '',
    });
  });

  it('gives the event a UUID and the current time when none is passed', () => {
    const before = Date.now();

    const event = newEnvelope(accountEvents.statusChanged, {
      accountId,
      actor: { kind: 'system', id: 'billing.dunning' },
      payload: { accountId, from: 'ACCOUNT_STATUS_ACTIVE', to: 'ACCOUNT_STATUS_PAUSED', reason: 'payment_failed' },
    });

    expect(event.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(Date.parse(event.occurredAt)).toBeGreaterThanOrEqual(before);
    expect(Date.parse(event.occurredAt)).toBeLessThanOrEqual(Date.now());
    expect(event.trace).toEqual({});
  });

  it('rejects a payload with a field its schema does not have', () => {
    const payload = { ...anAccountCreatedPayload(), plan: 'starter' } as AccountCreatedJson;

    const error = thrownBy(() => anAccountCreatedEvent({ payload }));

    expect(error).toBeInstanceOf(ContractError);
    expect(error).toMatchObject({ code: 'contract.invalid_payload', message: expect.stringContaining('"plan"') });
  });

  it('rejects a payload about another account than the envelope', () => {
    const payload = anAccountCreatedPayload({ accountId: '7d1e2f3a-0000-4000-8000-000000000000' });

    const error = thrownBy(() => anAccountCreatedEvent({ payload }));

    expect(error).toMatchObject({
      code: 'contract.malformed_envelope',
      message: expect.stringContaining('payload accountId "7d1e2f3a-0000-4000-8000-000000000000" differs'),
    });
  });
});

describe('decodeEvent', () => {
  it('rejects an event type that is not in the catalogue', () => {
    const value = aWireEvent((json) => {
      json.type = 'account.account.exploded.v1';
    });

    const error = thrownBy(() => decodeEvent(value));

    expect(error).toBeInstanceOf(ContractError);
    expect(error).toMatchObject({
      code: 'contract.unknown_event_type',
      message: expect.stringContaining('unknown event type "account.account.exploded.v1"'),
    });
  });

  it('rejects a record value that is not JSON', () => {
    const error = thrownBy(() => decodeEvent(Buffer.from('{"id": "5f0c6a52', 'utf8')));

    expect(error).toBeInstanceOf(ContractError);
    expect(error).toMatchObject({
      code: 'contract.malformed_envelope',
      message: expect.stringContaining('event is not JSON'),
    });
  });

  it('rejects a payload that does not match the schema of its type', () => {
    const value = aWireEvent((json) => {
      json.payload.trialDays = 'fourteen';
    });

    const error = thrownBy(() => decodeEvent(value));

    expect(error).toBeInstanceOf(ContractError);
    expect(error).toMatchObject({
      code: 'contract.invalid_payload',
      message: expect.stringMatching(
        /^account\.account\.created\.v1 event 5f0c6a52-.*: payload does not match crm\.account\.events\.v1\.AccountCreated: .*trial_days/,
      ),
    });
  });

  it('rejects an envelope field of the wrong type', () => {
    const value = aWireEvent((json) => {
      json.occurredAt = 'yesterday';
    });

    const error = thrownBy(() => decodeEvent(value));

    expect(error).toMatchObject({ code: 'contract.malformed_envelope' });
  });

  it('rejects an envelope without an actor', () => {
    const value = aWireEvent((json) => {
      Reflect.deleteProperty(json, 'actor');
    });

    const error = thrownBy(() => decodeEvent(value));

    expect(error).toMatchObject({
      code: 'contract.malformed_envelope',
      message: expect.stringContaining('lacks actor'),
    });
  });

  it('rejects an actor whose kind is unset', () => {
    const value = aWireEvent((json) => {
      json.actor.kind = 'ACTOR_KIND_UNSPECIFIED';
    });

    const error = thrownBy(() => decodeEvent(value));

    expect(error).toMatchObject({
      code: 'contract.malformed_envelope',
      message: expect.stringContaining(
        'actor kind "ACTOR_KIND_UNSPECIFIED" is not one of user, operator, system, api_key',
      ),
    });
  });

  it('rejects an event id that is not a UUID', () => {
    const value = aWireEvent((json) => {
      json.id = '42';
    });

    const error = thrownBy(() => decodeEvent(value));

    expect(error).toMatchObject({
      code: 'contract.malformed_envelope',
      message: expect.stringContaining('id "42" is not a UUID'),
    });
  });

  it('drops fields that a newer producer added, as protobuf readers do', () => {
    const value = aWireEvent((json) => {
      json.partition = 3;
      json.payload.referralCode = 'SPRING';
    });

    const decoded = decodeEvent(value);

    expect(decoded).not.toHaveProperty('partition');
    expect(decoded.payload).not.toHaveProperty('referralCode');
    expect(decoded.payload).toMatchObject({ slug: 'acme-plumbing' });
  });
});
