import type { Logger } from '@crm/platform';
import type { Mailer } from '@crm/platform/mailer';
import type { Database } from '@crm/platform/pg';
import type { InviteWorkflows } from './adapters/invite-workflows';
import type { LoginThrottle } from './adapters/login-throttle';
import type { PasswordHasher } from './adapters/password-hasher';
import type { IdentityOptions } from './config';

/** What the identity service's use cases need; built once in service.ts. */
export interface IdentityDeps {
  db: Database;
  /** Starts and signals `invite-<id>` workflows. */
  workflows: InviteWorkflows;
  mailer: Mailer;
  passwords: PasswordHasher;
  throttle: LoginThrottle;
  options: IdentityOptions;
  logger: Logger;
  now: () => Date;
}
