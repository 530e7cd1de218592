// Workflow messages, ids and activity interfaces, for clients (services) that start or query workflows.
export * from './provisioning/messages';
export type * from './provisioning/activities';
export * from './invite/messages';
export type * from './invite/activities';
export * from './subscription/messages';
export type * from './subscription/activities';
