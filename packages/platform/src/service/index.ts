export { logLevelSchema, serviceSettingsSchema, type ServiceSettings } from './service-settings';
export { startService, type RunningService, type ServiceDefinition, type ServiceInfrastructure } from './start-service';
