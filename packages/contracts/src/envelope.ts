import { randomUUID } from 'node:crypto';
import {
  create,
  fromJson,
  isMessage,
  toJson,
  toJsonString,
  type JsonObject,
  type JsonValue,
  type MessageShape,
} from '@bufbuild/protobuf';
import { timestampDate, timestampFromDate } from '@bufbuild/protobuf/wkt';
import { ContractError } from './contract-error';
import { eventByType, type AnyEventDefinition, type EventDefinition, type PayloadOf } from './events';
import { ActorKind, ActorSchema, type Actor } from './gen/crm/common/v1/actor_pb';
import { EventEnvelopeSchema } from './gen/crm/events/v1/envelope_pb';

/** Who caused the event. `id` is the user, operator, API key or system component (`billing.dunning`). */
export interface EventActor {
  kind: EventActorKind;
  id: string;
}
export type EventActorKind = 'user' | 'operator' | 'system' | 'api_key';

/** W3C Trace Context of the producer, so the consumer continues its trace. */
export interface EventTrace {
  traceparent?: string;
  tracestate?: string;
}

/**
 * An event as producers write it and consumers read it. On Kafka it travels as the proto-JSON form of
 * `crm.events.v1.EventEnvelope` (see proto/crm/events/v1/envelope.proto); `payload` is the proto-JSON form
 * of the message the catalogue names for `type` (enums as names, timestamps as RFC 3339 strings, int64 as
 * strings), with fields at their default value written out.
 */
export interface EventEnvelope<P = unknown, T extends string = string> {
  /** UUID, the consumers' deduplication key. */
  id: string;
  type: T;
  /** ISO 8601 in UTC, as `Date#toISOString` writes it. */
  occurredAt: string;
  accountId: string;
  actor: EventActor;
  trace: EventTrace;
  payload: P;
}

/** The envelope of one catalogue event, typed by its definition. */
export type EnvelopeOf<E extends EventDefinition> = EventEnvelope<PayloadOf<E>, E['type']>;

/** Any event this build knows, discriminated by `type`: what `decodeEvent` returns. */
export type AnyEventEnvelope = AnyEventDefinition extends infer E
  ? E extends EventDefinition
    ? EnvelopeOf<E>
    : never
  : never;

export interface NewEnvelopeInput<E extends EventDefinition> {
  accountId: string;
  actor: EventActor;
  /** The payload in proto-JSON form, or the message itself (`create(AccountCreatedSchema, {…})`). */
  payload: PayloadOf<E> | MessageShape<E['schema']>;
  /** Defaults to a random UUID. */
  id?: string;
  /** Defaults to now. */
  occurredAt?: string | Date;
  trace?: EventTrace;
}

const actorKinds = {
  user: ActorKind.USER,
  operator: ActorKind.OPERATOR,
  system: ActorKind.SYSTEM,
  api_key: ActorKind.API_KEY,
} as const satisfies Record<EventActorKind, ActorKind>;

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Builds the envelope of a catalogue event, validating the payload against the event's schema now (a
 * producer learns of a bad payload where it builds it, not on a consumer's dead-letter topic).
 */
export function newEnvelope<E extends EventDefinition>(event: E, input: NewEnvelopeInput<E>): EnvelopeOf<E> {
  const payload = isMessage(input.payload, event.schema)
    ? toJson(event.schema, input.payload, { alwaysEmitImplicit: true })
    : normalizePayload(event, input.payload, { strict: true });
  const envelope: EnvelopeOf<E> = {
    id: input.id ?? randomUUID(),
    type: event.type,
    occurredAt: toIsoString(input.occurredAt ?? new Date()),
    accountId: input.accountId,
    actor: { ...input.actor },
    trace: withoutEmpty(input.trace ?? {}),
    payload: payload as PayloadOf<E>,
  };
  checkEnvelope(envelope);
  return envelope;
}

/**
 * Serializes an envelope to the bytes of a Kafka record value. Throws a ContractError for an unknown type,
 * a malformed envelope, or a payload that does not follow the type's schema (unknown fields included).
 */
export function encodeEvent(envelope: EventEnvelope): Buffer {
  const event = knownEvent(envelope.type);
  checkEnvelope(envelope);
  const payload = normalizePayload(event, envelope.payload, { strict: true });
  const trace = withoutEmpty(envelope.trace ?? {});
  const message = create(EventEnvelopeSchema, {
    id: envelope.id,
    type: envelope.type,
    occurredAt: timestampFromDate(new Date(envelope.occurredAt)),
    accountId: envelope.accountId,
    actor: actorToProto(envelope.actor),
    trace: Object.keys(trace).length > 0 ? trace : undefined,
    payload,
  });
  return Buffer.from(toJsonString(EventEnvelopeSchema, message), 'utf8');
}

/**
 * Parses a Kafka record value into an envelope, validating the envelope and its payload against the
 * catalogue. Fields that this build does not know (added by a newer producer) are dropped, as protobuf
 * readers do. Throws a ContractError (`contract.malformed_envelope`, `contract.unknown_event_type`,
 * `contract.invalid_payload`) that a consumer routes to its dead-letter topic.
 */
export function decodeEvent(value: Uint8Array | string): AnyEventEnvelope {
  const text = typeof value === 'string' ? value : Buffer.from(value).toString('utf8');
  let json: JsonValue;
  try {
    json = JSON.parse(text) as JsonValue;
  } catch (error) {
    throw new ContractError('contract.malformed_envelope', `event is not JSON: ${errorMessage(error)}`, {
      cause: error,
    });
  }
  let message: MessageShape<typeof EventEnvelopeSchema>;
  try {
    message = fromJson(EventEnvelopeSchema, json, { ignoreUnknownFields: true });
  } catch (error) {
    throw new ContractError('contract.malformed_envelope', `event envelope is malformed: ${errorMessage(error)}`, {
      cause: error,
    });
  }
  if (!message.occurredAt || !message.actor || !message.payload) {
    const missing = [!message.occurredAt && 'occurredAt', !message.actor && 'actor', !message.payload && 'payload'];
    throw new ContractError(
      'contract.malformed_envelope',
      `event envelope ${message.id || '(no id)'} lacks ${missing.filter(Boolean).join(', ')}`,
    );
  }
  const event = knownEvent(message.type, message.id);
  const envelope: EventEnvelope = {
    id: message.id,
    type: message.type,
    occurredAt: timestampDate(message.occurredAt).toISOString(),
    accountId: message.accountId,
    actor: { kind: actorKindName(message.actor.kind) as EventActorKind, id: message.actor.id },
    trace: withoutEmpty(message.trace ?? {}),
    payload: normalizePayload(event, message.payload, { strict: false, eventId: message.id }),
  };
  checkEnvelope(envelope);
  return envelope as AnyEventEnvelope;
}

/** Narrows a decoded envelope to one catalogue event: `if (isEvent(envelope, accountEvents.created)) …`. */
export function isEvent<E extends EventDefinition>(envelope: EventEnvelope, event: E): envelope is EnvelopeOf<E> {
  return envelope.type === event.type;
}

/** The envelope's actor in the form internal APIs carry it (`crm.common.v1.Actor`). */
export function actorToProto(actor: EventActor): Actor {
  const kind = Object.hasOwn(actorKinds, actor.kind) ? actorKinds[actor.kind] : undefined;
  if (kind === undefined) {
    throw new ContractError(
      'contract.malformed_envelope',
      `actor kind "${String(actor.kind)}" is not one of ${Object.keys(actorKinds).join(', ')}`,
    );
  }
  return create(ActorSchema, { kind, id: actor.id });
}

/** An internal API's `crm.common.v1.Actor` as an envelope actor; throws when the kind is unset or unknown. */
export function actorFromProto(actor: Pick<Actor, 'kind' | 'id'>): EventActor {
  const kind = actorKindName(actor.kind);
  if (!Object.hasOwn(actorKinds, kind)) {
    throw new ContractError(
      'contract.malformed_envelope',
      `actor kind "${kind}" is not one of ${Object.keys(actorKinds).join(', ')}`,
    );
  }
  return { kind: kind as EventActorKind, id: actor.id };
}

/** `user` for ActorKind.USER…; the proto name (`ACTOR_KIND_UNSPECIFIED`) or number of any other value. */
function actorKindName(kind: ActorKind): string {
  const name = Object.entries(actorKinds).find(([, value]) => value === kind)?.[0];
  return name ?? `ACTOR_KIND_${ActorKind[kind] ?? kind}`;
}

function knownEvent(type: string, eventId?: string): AnyEventDefinition {
  const event = eventByType(type);
  if (!event) {
    const which = eventId ? `event ${eventId} has ` : '';
    throw new ContractError(
      'contract.unknown_event_type',
      `${which}unknown event type "${type}" (not in the catalogue of @crm/contracts)`,
    );
  }
  return event;
}

/** Validates a payload against the event's schema and returns its canonical proto-JSON form. */
function normalizePayload(
  event: EventDefinition,
  payload: unknown,
  options: { strict: boolean; eventId?: string },
): JsonObject {
  const where = `${event.type}${options.eventId ? ` event ${options.eventId}` : ''}`;
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
    throw new ContractError('contract.invalid_payload', `${where}: payload must be a JSON object`);
  }
  try {
    const message = fromJson(event.schema, payload as JsonObject, { ignoreUnknownFields: !options.strict });
    return toJson(event.schema, message, { alwaysEmitImplicit: true }) as JsonObject;
  } catch (error) {
    throw new ContractError(
      'contract.invalid_payload',
      `${where}: payload does not match ${event.schema.typeName}: ${errorMessage(error)}`,
      { cause: error },
    );
  }
}

function checkEnvelope(envelope: EventEnvelope): void {
  const problems: string[] = [];
  if (!uuidPattern.test(envelope.id)) problems.push(`id "${envelope.id}" is not a UUID`);
  if (Number.isNaN(Date.parse(envelope.occurredAt))) problems.push(`occurredAt "${envelope.occurredAt}" is not a date`);
  if (!envelope.accountId) problems.push('accountId is empty');
  if (!envelope.actor || !Object.hasOwn(actorKinds, envelope.actor.kind)) {
    problems.push(`actor kind "${String(envelope.actor?.kind)}" is not one of ${Object.keys(actorKinds).join(', ')}`);
  } else if (!envelope.actor.id) {
    problems.push('actor id is empty');
  }
  const payloadAccountId = (envelope.payload as { accountId?: unknown } | null)?.accountId;
  if (typeof payloadAccountId === 'string' && payloadAccountId !== '' && payloadAccountId !== envelope.accountId) {
    problems.push(`payload accountId "${payloadAccountId}" differs from the envelope's "${envelope.accountId}"`);
  }
  if (problems.length > 0) {
    throw new ContractError(
      'contract.malformed_envelope',
      `${envelope.type} event ${envelope.id}: ${problems.join('; ')}`,
    );
  }
}

function toIsoString(at: string | Date): string {
  const date = at instanceof Date ? at : new Date(at);
  if (Number.isNaN(date.getTime())) {
    throw new ContractError('contract.malformed_envelope', `occurredAt "${String(at)}" is not a date`);
  }
  return date.toISOString();
}

function withoutEmpty(trace: EventTrace): EventTrace {
  return {
    ...(trace.traceparent ? { traceparent: trace.traceparent } : {}),
    ...(trace.tracestate ? { tracestate: trace.tracestate } : {}),
  };
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
