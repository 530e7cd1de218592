import path from 'node:path';
import { createMailer, type Mailer } from '@crm/platform/mailer';
import type { ServiceDefinition } from '@crm/platform/service';
import { inviteActivities } from './activities/invite.activities';
import { provisioningActivities } from './activities/provisioning.activities';
import { inviteWorkflows } from './adapters/invite-workflows';
import { createLoginThrottle } from './adapters/login-throttle';
import { createPasswordHasher } from './adapters/password-hasher';
import type { IdentityOptions } from './config';
import { accountCreatedConsumer } from './consumers/account-created.consumer';
import { accountStatusChangedConsumer } from './consumers/account-status-changed.consumer';
import { userActivatedConsumer } from './consumers/user-activated.consumer';
import { userInvitedConsumer } from './consumers/user-invited.consumer';
import type { IdentityDeps } from './deps';
import { identityRoutes } from './rpc/identity.rpc';

export interface IdentityServiceOverrides {
  /** Task queue, consumer group and name; tests run a private copy of the service under another name. */
  name?: string;
  /** Replaces the SMTP mailer built from the options (tests wrap it to count or fail sends). */
  mailer?: (options: IdentityOptions, logger: IdentityDeps['logger']) => Mailer;
  now?: () => Date;
}

/**
 * The identity service: users, invitations and their onboarding workflow (hosted on this service's task queue),
 * credentials, sessions, permission profiles, the activity log.
 */
export function identityService(
  options: IdentityOptions,
  overrides: IdentityServiceOverrides = {},
): ServiceDefinition<IdentityDeps> {
  const name = overrides.name ?? 'identity';
  return {
    name,
    migrationsDir: path.join(__dirname, '../migrations'),
    buildDeps: ({ db, temporal, logger }) => ({
      db,
      workflows: inviteWorkflows(temporal, options, logger, name),
      mailer:
        overrides.mailer?.(options, logger) ??
        createMailer({ smtpUrl: options.mail.smtpUrl, from: options.mail.from, logger }),
      passwords: createPasswordHasher(),
      throttle: createLoginThrottle(db.pool, options.login),
      options,
      logger,
      now: overrides.now ?? (() => new Date()),
    }),
    consumers: [accountCreatedConsumer, accountStatusChangedConsumer, userInvitedConsumer, userActivatedConsumer],
    activities: (deps) => ({ ...provisioningActivities(deps), ...inviteActivities(deps) }),
    workflowsPath: require.resolve('@crm/workflows'),
    routes: identityRoutes,
  };
}
