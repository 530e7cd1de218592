import { defineQuery, defineSignal } from '@temporalio/workflow';

/** Business-key id: one onboarding workflow per invitation. */
export const inviteWorkflowId = (invitationId: string) => `invite-${invitationId}`;
/** The workflow and its activities run on identity's task queue. */
export const INVITE_TASK_QUEUE = 'identity';

export interface InviteInput {
  accountId: string;
  invitationId: string;
  /** The invitation's generation when the workflow starts (1, or more when started by a resend). */
  generation: number;
  /** From identity's config: IDENTITY_INVITE_EXPIRY. */
  expiresInMs: number;
  /** From identity's config: IDENTITY_INVITE_REMINDERS, offsets from the moment the invitation was (re)issued. */
  remindAfterMs: number[];
}

export type InvitePhase = 'inviting' | 'waiting' | 'onboarding' | 'onboarded' | 'expired' | 'revoked';
export type InviteOutcome = 'onboarded' | 'expired' | 'revoked';

export interface InviteStatus {
  accountId: string;
  invitationId: string;
  phase: InvitePhase;
  generation: number;
  /** When the current generation was issued and when it expires (ISO 8601). */
  issuedAt: string;
  expiresAt: string;
  /** Reminders sent for the current generation. */
  remindersSent: number;
}

/** Sent by identity once the invitee has accepted (after the acceptance committed). */
export const invitationAcceptedSignal = defineSignal('invitationAccepted');
/** Sent by identity once an Admin revoked the invitation (after the revocation committed). */
export const invitationRevokedSignal = defineSignal('invitationRevoked');
/** Sent (with start) by identity after a resend committed a new generation: the clock restarts. */
export const invitationResentSignal = defineSignal<[{ generation: number }]>('invitationResent');

export const inviteStatusQuery = defineQuery<InviteStatus>('inviteStatus');
