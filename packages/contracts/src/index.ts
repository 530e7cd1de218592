// @crm/contracts: the event catalogue (type → topic → schema), the envelope codec, and the code generated
// from proto/ into src/gen by `npm run build` (never edited by hand).

export { ContractError, type ContractErrorCode } from './contract-error';
export {
  accountEvents,
  identityEvents,
  billingEvents,
  allEvents,
  allTopics,
  defineEvent,
  eventByType,
  type AnyEventDefinition,
  type AnyEventType,
  type AnyTopic,
  type EventDefinition,
  type EventType,
  type PayloadOf,
  type TopicOf,
} from './events';
export {
  actorFromProto,
  actorToProto,
  decodeEvent,
  encodeEvent,
  isEvent,
  newEnvelope,
  type AnyEventEnvelope,
  type EnvelopeOf,
  type EventActor,
  type EventActorKind,
  type EventEnvelope,
  type EventTrace,
  type NewEnvelopeInput,
} from './envelope';

// Shared vocabulary and the account context: message types, their JSON forms, schemas and enums.
export * from './gen/crm/common/v1/actor_pb';
export * from './gen/crm/billing/v1/plan_pb';
export * from './gen/crm/account/v1/account_pb';
export * from './gen/crm/account/v1/account_service_pb';
export * from './gen/crm/account/events/v1/account_events_pb';
export * from './gen/crm/billing/v1/billing_pb';
export * from './gen/crm/billing/events/v1/billing_events_pb';
export * from './gen/crm/identity/events/v1/identity_events_pb';

// Identity and billing both define GetAccountRegistration{Request,Response}: their messages are namespaced
// by proto package (`identityV1.GetAccountRegistrationResponseSchema`), their services are exported by name.
export { IdentityService } from './gen/crm/identity/v1/identity_service_pb';
export { BillingService } from './gen/crm/billing/v1/billing_service_pb';
export * as identityV1 from './gen/crm/identity/v1/identity_service_pb';
export * as billingV1 from './gen/crm/billing/v1/billing_service_pb';
export {
  adminPermissions,
  allPermissions,
  isPermission,
  permissionCatalogue,
  userPermissions,
  type Permission,
} from './permissions';
export {
  accountStatusFromProto,
  accountStatusNames,
  accountStatusToProto,
  type AccountStatusName,
} from './account-status';
