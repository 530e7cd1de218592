export { connectTemporalClient, type TemporalClient, type TemporalClientSettings } from './client';
export { connectWorkerConnection, installTemporalRuntimeLogger, PinoTemporalLogger } from './runtime-logger';
export { accountIdSearchAttribute, ensureSearchAttributes, searchAttributesForAccount } from './search-attributes';
export { temporalSettingsSchema, type TemporalEnv } from './temporal-settings';
export {
  createServiceWorker,
  runWorkerUntilShutdown,
  workflowInterceptorModules,
  type RunningWorker,
  type ServiceWorkerSettings,
} from './worker';
