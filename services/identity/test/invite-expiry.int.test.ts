import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { inviteWorkflow } from '@crm/workflows';
import { inviteWorkflowId } from '@crm/workflows/messages';
import { createLogger } from '@crm/platform';
import { problemFor } from '@crm/platform/errors';
import { createMailer, type MailRequest } from '@crm/platform/mailer';
import { createDatabase, migrateDatabase, type Database } from '@crm/platform/pg';
import { createTestDatabase, createTimeSkippingEnv, stackEnv, type TestDatabase } from '@crm/testing';
import path from 'node:path';
import { inviteActivities } from '../src/activities/invite.activities';
import { inviteWorkflows } from '../src/adapters/invite-workflows';
import { createLoginThrottle } from '../src/adapters/login-throttle';
import { createPasswordHasher } from '../src/adapters/password-hasher';
import { acceptInvitation } from '../src/app/accept-invitation';
import { registerAccount } from '../src/app/register-account';
import { loadConfig } from '../src/config';
import type { IdentityDeps } from '../src/deps';
import { origin } from './support/identity-harness';

/** The real invite activities and database, with the workflow on the time-skipping test server. */
describe('invite workflow with identity’s real activities, on the time-skipping server', () => {
  const logger = createLogger({ service: 'identity-expiry-test', level: 'silent' });
  const options = loadConfig({
    DATABASE_URL: 'postgres://unused@127.0.0.1/unused',
    SMTP_URL: stackEnv().SMTP_URL,
  }).identity;
  const sent: MailRequest[] = [];
  let env: TestWorkflowEnvironment;
  let testDb: TestDatabase;
  let db: Database;
  let deps: IdentityDeps;
  const taskQueue = `invite-expiry-${randomUUID()}`;

  beforeAll(async () => {
    env = await createTimeSkippingEnv();
    testDb = await createTestDatabase('identity_expiry');
    await migrateDatabase({ url: testDb.url, serviceMigrationsDir: path.join(__dirname, '../migrations'), logger });
    db = createDatabase({ url: testDb.url });
    const mailer = createMailer({ smtpUrl: options.mail.smtpUrl, from: options.mail.from, logger });
    deps = {
      db,
      workflows: inviteWorkflows(env.client, options, logger, taskQueue),
      mailer: { ...mailer, send: async (request) => (sent.push(request), mailer.send(request)) },
      passwords: createPasswordHasher(),
      throttle: createLoginThrottle(db.pool, options.login),
      options,
      logger,
      now: () => new Date(),
    };
  }, 60_000);
  afterAll(async () => {
    deps?.mailer.close();
    await db?.close();
    await testDb?.drop();
    await env?.teardown();
  });

  it('mails the invitation and two reminders once each, expires it at day 7, and then every link answers 410', async () => {
    const accountId = randomUUID();
    const invitationId = randomUUID();
    const ownerEmail = `owner+${accountId.slice(0, 8)}@identity-expiry.test`;
    await db.transaction((tx) =>
      registerAccount(tx, deps, {
        accountId,
        slug: `expiry-${accountId.slice(0, 8)}`,
        name: 'Expiry Dental',
        timezone: 'Europe/Paris',
        owner: { firstName: 'Ada', lastName: 'Owner', email: ownerEmail, phone: '+33612345678' },
        ownerUserId: randomUUID(),
        ownerInvitationId: invitationId,
        actor: { kind: 'operator', id: 'support-1' },
      }),
    );
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowsPath: require.resolve('@crm/workflows'),
      activities: inviteActivities(deps),
    });

    const outcome = await worker.runUntil(async () => {
      // The test server has no custom search attributes: start it as identity does, without `AccountId`.
      return env.client.workflow.execute(inviteWorkflow, {
        workflowId: inviteWorkflowId(invitationId),
        taskQueue,
        args: [{ accountId, invitationId, generation: 1, ...options.invite }],
      });
    });

    expect(outcome).toBe('expired');
    const mails = sent.filter((request) => request.to === ownerEmail);
    expect(mails.map((request) => [request.template, request.idempotencyKey])).toEqual([
      ['invitation', `invite-${invitationId}:g1:invitation`],
      ['invitation-reminder', `invite-${invitationId}:g1:reminder-1`],
      ['invitation-reminder', `invite-${invitationId}:g1:reminder-2`],
    ]);
    const { rows } = await db.query<{ count: number }>(
      `SELECT count(*)::int AS count FROM outbox WHERE event_type = 'identity.invitation.expired.v1' AND message_key = $1`,
      [accountId],
    );
    expect(rows[0]?.count).toBe(1);
    for (const mail of mails) {
      const token = 'acceptUrl' in mail.data ? (mail.data.acceptUrl.split('/invite/')[1] ?? '') : '';
      const refused = await acceptInvitation(deps, { token, password: 'a passphrase too late', origin }).catch(
        (error: unknown) => error,
      );
      expect([(refused as { code?: string }).code, problemFor(refused).status]).toEqual([
        'identity.invite_expired',
        410,
      ]);
    }
  }, 60_000);
});
