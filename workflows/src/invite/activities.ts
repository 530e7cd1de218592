// The activities the invite onboarding workflow runs. All of them are on the `identity` task queue (the
// workflow's own), implemented by services/identity/src/activities/invite.activities.ts.

/** Where an invitation stands in identity's database: the workflow trusts this over its own timers. */
export type InvitationState = 'pending' | 'accepted' | 'revoked' | 'expired';

export interface InvitationRef {
  accountId: string;
  invitationId: string;
}

export interface InvitationEmailInput extends InvitationRef {
  /** Which issue of the invitation this email belongs to; a resend makes a new generation (new link). */
  generation: number;
  kind: 'invitation' | 'reminder';
  /** Passed in by the workflow (`invite-<id>:g<generation>:reminder-1`): the email is sent once per key. */
  idempotencyKey: string;
}

export interface OnboardingEmailInput extends InvitationRef {
  idempotencyKey: string;
}

export interface InvitationStepResult {
  state: InvitationState;
  /** The invitation's current generation (greater than the input's when a resend happened meanwhile). */
  generation: number;
}

export interface IdentityInviteActivities {
  /**
   * Issues a fresh single-use link for the invitation's current generation and emails it, once per idempotency
   * key. Sends nothing when the invitation is no longer pending or has moved to another generation.
   */
  sendInvitationEmail(input: InvitationEmailInput): Promise<InvitationStepResult>;
  /** Marks a pending invitation of this generation expired (and announces it); otherwise changes nothing. */
  expireInvitation(input: InvitationRef & { generation: number }): Promise<InvitationStepResult>;
  /**
   * Extension point for calendars and pipelines: applies the memberships chosen at invite time (ids, or "copy
   * access from" another user) to the user who accepted. Idempotent.
   */
  applyAccessChoices(input: InvitationRef): Promise<void>;
  /** "Welcome to <account>" to the new member. */
  sendWelcomeEmail(input: OnboardingEmailInput): Promise<void>;
  /** "<name> joined <account>" to the person who invited them; nothing for the owner's invitation. */
  sendMemberJoinedEmail(input: OnboardingEmailInput): Promise<void>;
}
