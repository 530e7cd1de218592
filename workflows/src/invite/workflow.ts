import { condition, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { IdentityInviteActivities, InvitationState } from './activities';
import {
  invitationAcceptedSignal,
  invitationResentSignal,
  invitationRevokedSignal,
  inviteStatusQuery,
  type InviteInput,
  type InviteOutcome,
  type InviteStatus,
} from './messages';

// No taskQueue: the activities run on the workflow's own queue (`identity` in production, a test queue in tests).
const identity = proxyActivities<IdentityInviteActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/**
 * Invite onboarding (PRODUCT.md §2), id `invite-<invitationId>`: email a single-use link → remind at each offset of
 * `remindAfterMs` → wait for accept, revoke or resend, or expire after `expiresInMs` → on accept: apply the
 * calendar/pipeline choices, welcome the new member, tell the inviter. A resend restarts the clock with a new
 * generation (new link; identity already killed the old one). Every email carries an idempotency key made here.
 */
export async function inviteWorkflow(input: InviteInput): Promise<InviteOutcome> {
  const id = workflowInfo().workflowId;
  const ref = { accountId: input.accountId, invitationId: input.invitationId };
  const status: InviteStatus = {
    ...ref,
    phase: 'inviting',
    generation: input.generation,
    issuedAt: new Date(Date.now()).toISOString(),
    expiresAt: new Date(Date.now() + input.expiresInMs).toISOString(),
    remindersSent: 0,
  };
  let accepted = false;
  let revoked = false;
  let resentTo: number | undefined;
  setHandler(inviteStatusQuery, () => status);
  setHandler(invitationAcceptedSignal, () => {
    accepted = true;
  });
  setHandler(invitationRevokedSignal, () => {
    revoked = true;
  });
  setHandler(invitationResentSignal, ({ generation }) => {
    if (generation > status.generation) resentTo = Math.max(resentTo ?? 0, generation);
  });
  const interrupted = () => accepted || revoked || resentTo !== undefined;

  /** One issue of the invitation: the email, its reminders, its expiry. Returns early on any signal. */
  async function runGeneration(): Promise<InvitationState> {
    const issuedAt = Date.now();
    const generation = status.generation;
    Object.assign(status, {
      phase: 'inviting',
      issuedAt: new Date(issuedAt).toISOString(),
      expiresAt: new Date(issuedAt + input.expiresInMs).toISOString(),
      remindersSent: 0,
    });
    const key = `${id}:g${generation}`;
    let { state } = await identity.sendInvitationEmail({
      ...ref,
      generation,
      kind: 'invitation',
      idempotencyKey: `${key}:invitation`,
    });
    status.phase = 'waiting';
    const reminders = input.remindAfterMs.filter((offset) => offset > 0 && offset < input.expiresInMs);
    for (const [index, offset] of reminders.entries()) {
      if (state !== 'pending' || (await condition(interrupted, Math.max(1, issuedAt + offset - Date.now()))))
        return state;
      const number = index + 1;
      ({ state } = await identity.sendInvitationEmail({
        ...ref,
        generation,
        kind: 'reminder',
        idempotencyKey: `${key}:reminder-${number}`,
      }));
      status.remindersSent = number;
    }
    if (state !== 'pending' || (await condition(interrupted, Math.max(1, issuedAt + input.expiresInMs - Date.now()))))
      return state;
    return (await identity.expireInvitation({ ...ref, generation })).state;
  }

  let state: InvitationState = 'pending';
  for (;;) {
    if (resentTo !== undefined) {
      status.generation = resentTo;
      resentTo = undefined;
      state = 'pending';
    }
    if (state === 'pending') state = await runGeneration();
    if (accepted) state = 'accepted';
    else if (revoked) state = 'revoked';
    // A resend while pending, or one that raced the expiry, starts the next generation.
    if (resentTo !== undefined && (state === 'pending' || state === 'expired')) continue;
    if (state !== 'pending') break;
  }

  if (state !== 'accepted') {
    status.phase = state;
    return state;
  }
  status.phase = 'onboarding';
  await identity.applyAccessChoices(ref);
  await identity.sendWelcomeEmail({ ...ref, idempotencyKey: `${id}:welcome` });
  await identity.sendMemberJoinedEmail({ ...ref, idempotencyKey: `${id}:member-joined` });
  status.phase = 'onboarded';
  return 'onboarded';
}
