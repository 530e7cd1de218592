export { createDatabase, isUniqueViolation, type Database, type Queryable, type Tx } from './database';
export { migrateDatabase } from './migrate';
export { databaseUrlFor, ensureDatabase } from './ensure-database';
