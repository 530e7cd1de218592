import type { Database } from '@crm/platform/pg';

/** What the identity service's use cases need; built once in service.ts. */
export interface IdentityDeps {
  db: Database;
  now: () => Date;
}
