export {
  assertKafkaReachable,
  connectIdempotentProducer,
  createKafka,
  deadLetterTopic,
  ensureTopics,
  kafkaSettingsSchema,
  type KafkaSettings,
} from './kafka';
