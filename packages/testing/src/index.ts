export { stackEnv, type StackEnv } from './stack-env';
export { createTestDatabase, eventually, uniqueTopicPrefix, type TestDatabase } from './test-database';
export { createTimeSkippingEnv, quietTemporalRuntime } from './temporal-env';
export { runServiceMain, type ProcessOutcome } from './run-main';
