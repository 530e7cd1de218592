import type { Database } from '@crm/platform/pg';

/** What the billing service's use cases need; built once in service.ts. */
export interface BillingDeps {
  db: Database;
  now: () => Date;
}
