import type { Client } from '@temporalio/client';
import type { Logger } from '@crm/platform';
import type { Database } from '@crm/platform/pg';
import type { PaymentGateway } from './adapters/stripe';
import type { BillingSettings } from './config';

/** What the billing service's use cases need; built once in service.ts. */
export interface BillingDeps {
  db: Database;
  temporal: Client;
  payments: PaymentGateway;
  settings: BillingSettings;
  logger: Logger;
  now: () => Date;
  /** The task queue of the subscription workflows and of billing's activities (`billing`). */
  taskQueue: string;
}
