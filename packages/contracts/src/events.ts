import type { DescMessage, MessageJsonType } from '@bufbuild/protobuf';
import { ContractError } from './contract-error';
import { AccountCreatedSchema, AccountStatusChangedSchema } from './gen/crm/account/events/v1/account_events_pb';
import {
  CustomPlanRequestedSchema,
  InvoiceCreatedSchema,
  InvoicePaidSchema,
  InvoicePaymentFailedSchema,
  PaymentMethodUpdatedSchema,
  PlanChangeAppliedSchema,
  PlanChangeCanceledSchema,
  PlanChangeScheduledSchema,
  SubscriptionChangedSchema,
  SubscriptionCreatedSchema,
} from './gen/crm/billing/events/v1/billing_events_pb';
import {
  InvitationExpiredSchema,
  InvitationRevokedSchema,
  PermissionProfileCreatedSchema,
  PermissionProfileDeletedSchema,
  PermissionProfileUpdatedSchema,
  PermissionsChangedSchema,
  UserActivatedSchema,
  UserDeactivatedSchema,
  UserInvitedSchema,
  UserRemovedSchema,
  UserUpdatedSchema,
} from './gen/crm/identity/events/v1/identity_events_pb';

/** `<context>.<aggregate>.<past_tense>.v<N>` (ARCHITECTURE.md rule 3), e.g. `identity.user.invited.v1`. */
export type EventType = `${string}.${string}.${string}.v${number}`;

/** The topic an event type is published on: one per aggregate, `<context>.<aggregate>`. */
export type TopicOf<T extends string> = T extends `${infer Context}.${infer Aggregate}.${string}.v${number}`
  ? `${Context}.${Aggregate}`
  : never;

/** One entry of the catalogue: an event type, where it travels, and the proto message its payload follows. */
export interface EventDefinition<T extends EventType = EventType, S extends DescMessage = DescMessage> {
  /** `account.account.created.v1` */
  readonly type: T;
  /** `account.account` */
  readonly topic: TopicOf<T>;
  /** `account` */
  readonly context: string;
  /** `account` */
  readonly aggregate: string;
  /** The past-tense fact: `created`, `status_changed`. */
  readonly name: string;
  readonly version: number;
  /** The generated message schema of the payload, e.g. `AccountCreatedSchema`. */
  readonly schema: S;
}

/** The payload of an event in its proto-JSON form, e.g. `AccountCreatedJson`. */
export type PayloadOf<E extends EventDefinition> = MessageJsonType<E['schema']>;

const segment = '[a-z][a-z0-9]*(?:_[a-z0-9]+)*';
const eventTypePattern = new RegExp(`^(${segment})\\.(${segment})\\.(${segment})\\.v([1-9][0-9]*)$`);

/**
 * Defines an event type and derives its topic from it. Throws a ContractError (when the module loads, so a
 * typo never reaches Kafka) unless the type is lower snake_case `<context>.<aggregate>.<past_tense>.v<N>`
 * with N ≥ 1.
 */
export function defineEvent<const T extends EventType, S extends DescMessage>(
  type: T,
  schema: S,
): EventDefinition<T, S> {
  const match = eventTypePattern.exec(type);
  if (!match) {
    throw new ContractError(
      'contract.malformed_event_type',
      `event type "${type}" is not <context>.<aggregate>.<past_tense>.v<N> in lower snake_case (e.g. "identity.user.invited.v1")`,
    );
  }
  const [, context = '', aggregate = '', name = '', version = ''] = match;
  return Object.freeze({
    type,
    topic: `${context}.${aggregate}` as TopicOf<T>,
    context,
    aggregate,
    name,
    version: Number(version),
    schema,
  });
}

/** Events of the account aggregate (account service), on topic `account.account`. */
export const accountEvents = {
  created: defineEvent('account.account.created.v1', AccountCreatedSchema),
  statusChanged: defineEvent('account.account.status_changed.v1', AccountStatusChangedSchema),
} as const;

/**
 * Events of the identity context: users on topic `identity.user`, invitations on `identity.invitation`, permission
 * profiles on `identity.profile`, users' effective permissions on `identity.permissions`.
 */
export const identityEvents = {
  userInvited: defineEvent('identity.user.invited.v1', UserInvitedSchema),
  userActivated: defineEvent('identity.user.activated.v1', UserActivatedSchema),
  userUpdated: defineEvent('identity.user.updated.v1', UserUpdatedSchema),
  userDeactivated: defineEvent('identity.user.deactivated.v1', UserDeactivatedSchema),
  userRemoved: defineEvent('identity.user.removed.v1', UserRemovedSchema),
  invitationExpired: defineEvent('identity.invitation.expired.v1', InvitationExpiredSchema),
  invitationRevoked: defineEvent('identity.invitation.revoked.v1', InvitationRevokedSchema),
  profileCreated: defineEvent('identity.profile.created.v1', PermissionProfileCreatedSchema),
  profileUpdated: defineEvent('identity.profile.updated.v1', PermissionProfileUpdatedSchema),
  profileDeleted: defineEvent('identity.profile.deleted.v1', PermissionProfileDeletedSchema),
  permissionsChanged: defineEvent('identity.permissions.changed.v1', PermissionsChangedSchema),
} as const;

/** Events of the billing context (billing service), one topic per aggregate: `billing.subscription`, … */
export const billingEvents = {
  subscriptionCreated: defineEvent('billing.subscription.created.v1', SubscriptionCreatedSchema),
  subscriptionChanged: defineEvent('billing.subscription.changed.v1', SubscriptionChangedSchema),
  invoiceCreated: defineEvent('billing.invoice.created.v1', InvoiceCreatedSchema),
  invoicePaid: defineEvent('billing.invoice.paid.v1', InvoicePaidSchema),
  invoicePaymentFailed: defineEvent('billing.invoice.payment_failed.v1', InvoicePaymentFailedSchema),
  planChangeScheduled: defineEvent('billing.plan_change.scheduled.v1', PlanChangeScheduledSchema),
  planChangeApplied: defineEvent('billing.plan_change.applied.v1', PlanChangeAppliedSchema),
  planChangeCanceled: defineEvent('billing.plan_change.canceled.v1', PlanChangeCanceledSchema),
  paymentMethodUpdated: defineEvent('billing.payment_method.updated.v1', PaymentMethodUpdatedSchema),
  customPlanRequested: defineEvent('billing.custom_plan.requested.v1', CustomPlanRequestedSchema),
} as const;

/** Every event in the catalogue; add a context's group here when it gets its first event. */
export type AnyEventDefinition =
  | (typeof accountEvents)[keyof typeof accountEvents]
  | (typeof identityEvents)[keyof typeof identityEvents]
  | (typeof billingEvents)[keyof typeof billingEvents];
export type AnyEventType = AnyEventDefinition['type'];
export type AnyTopic = AnyEventDefinition['topic'];

export const allEvents: readonly AnyEventDefinition[] = Object.freeze([
  ...Object.values(accountEvents),
  ...Object.values(identityEvents),
  ...Object.values(billingEvents),
]);

/** Every topic that must exist before services start (created by the stack and by deploy). */
export const allTopics: readonly AnyTopic[] = Object.freeze([...new Set(allEvents.map((event) => event.topic))]);

const byType = new Map<string, AnyEventDefinition>();
for (const event of allEvents) {
  if (byType.has(event.type)) {
    throw new ContractError('contract.duplicate_event_type', `event type "${event.type}" is defined twice`);
  }
  byType.set(event.type, event);
}

/** The catalogue entry for an event type; undefined for a type this build does not know. */
export function eventByType<T extends AnyEventType>(type: T): Extract<AnyEventDefinition, { type: T }>;
export function eventByType(type: string): AnyEventDefinition | undefined;
export function eventByType(type: string): AnyEventDefinition | undefined {
  return byType.get(type);
}
