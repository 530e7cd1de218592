import type { Client } from '@temporalio/client';
import type { Database } from '@crm/platform/pg';

/** What the account service's use cases need; built once in service.ts. */
export interface AccountDeps {
  db: Database;
  temporal: Client;
  now: () => Date;
}
