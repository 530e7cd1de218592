import { randomUUID } from 'node:crypto';
import { inviteWorkflowId } from '@crm/workflows/messages';
import { connectTemporalClient, type TemporalClient } from '@crm/platform/temporal';
import { createDatabase } from '@crm/platform/pg';
import { stackEnv } from '@crm/testing';
import { createPasswordHasher } from '../src/adapters/password-hasher';
import { acceptInvitation } from '../src/app/accept-invitation';
import { inviteStaff } from '../src/app/invite-staff';
import type { IdentityDeps } from '../src/deps';
import { IdentityHarness, origin } from './support/identity-harness';

interface MailpitMessage {
  Subject: string;
  MessageID: string;
}

async function mailpitMessagesTo(address: string): Promise<MailpitMessage[]> {
  const url = new URL('/api/v1/search', stackEnv().MAILPIT_URL);
  url.searchParams.set('query', `to:"${address}"`);
  const response = await fetch(url);
  if (!response.ok) throw new Error(`Mailpit answered ${response.status}`);
  return ((await response.json()) as { messages: MailpitMessage[] }).messages;
}

describe('invite onboarding survives the identity worker being killed and restarted', () => {
  const harness = new IdentityHarness();
  let temporal: TemporalClient;
  beforeAll(async () => {
    await harness.setUp();
    temporal = await connectTemporalClient({ address: stackEnv().TEMPORAL_ADDRESS, namespace: 'default' });
  }, 30_000);
  afterAll(async () => {
    await harness.tearDown();
    await temporal?.connection.close();
  }, 30_000);

  it('completes the workflow after the restart and sends each step’s email once', async () => {
    await harness.start();
    const account = await harness.provisionAccount();
    const ownerToken = await harness.inviteTokenFor(account.ownerEmail);
    await acceptInvitation(harness.deps, { token: ownerToken, password: 'owner passphrase here', origin });
    const staffEmail = `new.hire+${randomUUID().slice(0, 8)}@identity-it.test`;
    const staff = await inviteStaff(harness.deps, {
      accountId: account.accountId,
      actorUserId: account.ownerUserId,
      details: { firstName: 'Grace', lastName: 'Hire', email: staffEmail, phone: '+13125550199', profileId: 'user' },
      access: { calendarIds: [randomUUID()], pipelineIds: [], copyAccessFrom: undefined },
    });
    const staffToken = await harness.inviteTokenFor(staffEmail);

    // The worker dies while the workflow waits for the acceptance; the invitee accepts while it is down.
    await harness.stop();
    const offline = createDatabase({ url: harness.testDb.url });
    try {
      const offlineDeps = { db: offline, passwords: createPasswordHasher(), now: () => new Date() } as IdentityDeps;
      await acceptInvitation(offlineDeps, { token: staffToken, password: 'new hire passphrase', origin });
    } finally {
      await offline.close();
    }

    // It comes back; the first attempt of the welcome step sends and records its email, then "dies" before
    // Temporal hears of it, so Temporal runs the step again.
    let welcomeAttempts = 0;
    await harness.start((definition) => ({
      ...definition,
      activities: (deps) => {
        const activities = definition.activities(deps) as Record<string, (input: unknown) => Promise<unknown>>;
        return {
          ...activities,
          sendWelcomeEmail: async (input: unknown) => {
            welcomeAttempts += 1;
            const result = await activities.sendWelcomeEmail!(input);
            if (welcomeAttempts === 1) throw new Error('worker died before reporting the activity complete');
            return result;
          },
        };
      },
    }));

    const invitationId = staff.invitationId ?? '';
    const outcome = await temporal.workflow.getHandle(inviteWorkflowId(invitationId)).result();

    const workflowId = inviteWorkflowId(invitationId);
    expect(outcome).toBe('onboarded');
    expect(welcomeAttempts).toBe(2);
    expect(harness.sentTo(staffEmail)).toEqual([
      { template: 'invitation', key: `${workflowId}:g1:invitation` },
      { template: 'welcome', key: `${workflowId}:welcome` },
    ]);
    expect(harness.sentTo(account.ownerEmail).filter(({ template }) => template === 'member-joined')).toEqual([
      { template: 'member-joined', key: `${workflowId}:member-joined` },
    ]);
    const delivered = await mailpitMessagesTo(staffEmail);
    expect(delivered.map((message) => message.Subject).sort()).toEqual([
      expect.stringMatching(/^Ada Owner invited you to join Acme /),
      expect.stringMatching(/^Welcome to Acme /),
    ]);
    expect(
      await harness.count(
        `SELECT count(*) FROM idempotency_keys WHERE scope = 'identity.email' AND key LIKE $1 AND status = 'completed'`,
        [`${workflowId}:%`],
      ),
    ).toBe(3);
    expect(
      await harness.count(`SELECT count(*) FROM memberships WHERE user_id = $1 AND kind = 'calendar'`, [staff.id]),
    ).toBe(1);
  }, 90_000);
});
