export { appendToOutbox } from './outbox';
export { startOutboxRelay, type OutboxRelay, type OutboxRelaySettings, type OutboxRow } from './outbox-relay';
export {
  defineConsumer,
  startConsumerGroup,
  type ConsumerDefinition,
  type ConsumerGroupSettings,
  type RunningConsumerGroup,
} from './consumer';
