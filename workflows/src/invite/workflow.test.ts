import { randomUUID } from 'node:crypto';
import { Context } from '@temporalio/activity';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { createTimeSkippingEnv } from '@crm/testing';
import type { IdentityInviteActivities, InvitationState } from './activities';
import {
  invitationAcceptedSignal,
  invitationResentSignal,
  invitationRevokedSignal,
  inviteStatusQuery,
  inviteWorkflowId,
  type InviteInput,
} from './messages';
import { inviteWorkflow } from './workflow';

const DAY = 24 * 60 * 60 * 1000;

/**
 * identity's side of the workflow, in memory: an invitation with a state and a generation, and a journal of
 * what each activity did, stamped with the (skipped) server time since the workflow started.
 */
function aFakeIdentity(startedAt: () => number) {
  const invitation = { state: 'pending' as InvitationState, generation: 1 };
  const journal: { day: number; step: string }[] = [];
  const sentKeys: string[] = [];
  const day = () =>
    Math.round(((Context.current().info.currentAttemptScheduledTimestampMs - startedAt()) / DAY) * 100) / 100;
  const result = () => ({ ...invitation });
  const activities: IdentityInviteActivities = {
    async sendInvitationEmail(input) {
      if (
        invitation.state === 'pending' &&
        input.generation === invitation.generation &&
        !sentKeys.includes(input.idempotencyKey)
      ) {
        sentKeys.push(input.idempotencyKey);
        journal.push({ day: day(), step: `${input.kind} g${input.generation}` });
      }
      return result();
    },
    async expireInvitation(input) {
      if (invitation.state === 'pending' && input.generation === invitation.generation) {
        invitation.state = 'expired';
        journal.push({ day: day(), step: `expired g${input.generation}` });
      }
      return result();
    },
    async applyAccessChoices() {
      journal.push({ day: day(), step: 'apply access' });
    },
    async sendWelcomeEmail(input) {
      sentKeys.push(input.idempotencyKey);
      journal.push({ day: day(), step: 'welcome' });
    },
    async sendMemberJoinedEmail(input) {
      sentKeys.push(input.idempotencyKey);
      journal.push({ day: day(), step: 'member joined' });
    },
  };
  return { invitation, journal, sentKeys, activities };
}

describe('inviteWorkflow', () => {
  let env: TestWorkflowEnvironment;
  beforeAll(async () => {
    env = await createTimeSkippingEnv();
  });
  afterAll(() => env?.teardown());

  /** Starts the workflow with the default schedule (reminders at day 2 and 5, expiry at day 7) on a fresh queue. */
  async function startInvitation(overrides: Partial<InviteInput> = {}) {
    let startedAt = 0;
    const identity = aFakeIdentity(() => startedAt);
    const taskQueue = `invite-test-${randomUUID()}`;
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowsPath: require.resolve('../index'),
      activities: identity.activities,
    });
    const invitationId = randomUUID();
    const input: InviteInput = {
      accountId: randomUUID(),
      invitationId,
      generation: 1,
      expiresInMs: 7 * DAY,
      remindAfterMs: [2 * DAY, 5 * DAY],
      ...overrides,
    };
    startedAt = await env.currentTimeMs();
    const handle = await env.client.workflow.start(inviteWorkflow, {
      taskQueue,
      workflowId: inviteWorkflowId(invitationId),
      args: [input],
    });
    return { identity, handle, run: <T>(body: () => Promise<T>) => worker.runUntil(body) };
  }

  it('reminds at day 2 and day 5 exactly once each, then expires the invitation at day 7', async () => {
    const { identity, handle, run } = await startInvitation();

    const outcome = await run(() => handle.result());

    expect(outcome).toBe('expired');
    expect(identity.journal).toEqual([
      { day: 0, step: 'invitation g1' },
      { day: 2, step: 'reminder g1' },
      { day: 5, step: 'reminder g1' },
      { day: 7, step: 'expired g1' },
    ]);
    expect(identity.sentKeys).toEqual([
      `${handle.workflowId}:g1:invitation`,
      `${handle.workflowId}:g1:reminder-1`,
      `${handle.workflowId}:g1:reminder-2`,
    ]);
  });

  it('takes its periods from the input, so a shorter configuration runs the same steps sooner', async () => {
    const { identity, handle, run } = await startInvitation({ expiresInMs: DAY, remindAfterMs: [DAY / 4] });

    await run(() => handle.result());

    expect(identity.journal).toEqual([
      { day: 0, step: 'invitation g1' },
      { day: 0.25, step: 'reminder g1' },
      { day: 1, step: 'expired g1' },
    ]);
  });

  it('restarts the clock with a new generation on resend, and never mails the old link again', async () => {
    const { identity, handle, run } = await startInvitation();

    const outcome = await run(async () => {
      await env.sleep(3 * DAY);
      identity.invitation.generation = 2; // what identity's resend committed before signalling
      await handle.signal(invitationResentSignal, { generation: 2 });
      return handle.result();
    });

    expect(outcome).toBe('expired');
    expect(identity.journal).toEqual([
      { day: 0, step: 'invitation g1' },
      { day: 2, step: 'reminder g1' },
      { day: 3, step: 'invitation g2' },
      { day: 5, step: 'reminder g2' },
      { day: 8, step: 'reminder g2' },
      { day: 10, step: 'expired g2' },
    ]);
  });

  it('ends at once when the invitation is revoked, sending nothing more', async () => {
    const { identity, handle, run } = await startInvitation();

    const { outcome, status } = await run(async () => {
      await env.sleep(1 * DAY);
      identity.invitation.state = 'revoked';
      await handle.signal(invitationRevokedSignal);
      const outcome = await handle.result();
      return { outcome, status: await handle.query(inviteStatusQuery) };
    });

    expect(outcome).toBe('revoked');
    expect(status.phase).toBe('revoked');
    expect(identity.journal).toEqual([{ day: 0, step: 'invitation g1' }]);
  });

  it('on acceptance applies the access choices, welcomes the member and tells the inviter, once each', async () => {
    const { identity, handle, run } = await startInvitation();

    const outcome = await run(async () => {
      await env.sleep(3 * DAY);
      identity.invitation.state = 'accepted';
      await handle.signal(invitationAcceptedSignal);
      return handle.result();
    });

    expect(outcome).toBe('onboarded');
    expect(identity.journal.map(({ step }) => step)).toEqual([
      'invitation g1',
      'reminder g1',
      'apply access',
      'welcome',
      'member joined',
    ]);
    expect(identity.sentKeys.slice(-2)).toEqual([`${handle.workflowId}:welcome`, `${handle.workflowId}:member-joined`]);
  });

  it('onboards when an activity finds the invitation accepted, even if the signal was lost', async () => {
    const { identity, handle, run } = await startInvitation();

    const outcome = await run(async () => {
      await env.sleep(1 * DAY);
      identity.invitation.state = 'accepted'; // no signal: the reminder at day 2 reads the state
      return handle.result();
    });

    expect(outcome).toBe('onboarded');
    expect(identity.journal.map(({ step }) => step)).toEqual([
      'invitation g1',
      'apply access',
      'welcome',
      'member joined',
    ]);
  });

  it('answers its status query while it waits', async () => {
    const { handle, run } = await startInvitation();

    const status = await run(async () => {
      await env.sleep(2.5 * DAY);
      const status = await handle.query(inviteStatusQuery);
      await handle.terminate('test over');
      return status;
    });

    expect(status).toMatchObject({ phase: 'waiting', generation: 1, remindersSent: 1 });
    expect(Date.parse(status.expiresAt) - Date.parse(status.issuedAt)).toBe(7 * DAY);
  });
});
