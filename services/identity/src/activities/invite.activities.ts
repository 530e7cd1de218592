import type { IdentityInviteActivities } from '@crm/workflows/messages';
import { asActivityFailure } from '@crm/platform/errors';
import { applyAccessChoices } from '../app/apply-access-choices';
import { expireInvitation } from '../app/expire-invitation';
import { sendInvitationEmail } from '../app/send-invitation-email';
import { sendMemberJoinedEmail, sendWelcomeEmail } from '../app/send-onboarding-emails';
import type { IdentityDeps } from '../deps';

export const inviteActivities = (deps: IdentityDeps): IdentityInviteActivities => ({
  sendInvitationEmail: asActivityFailure((input) => sendInvitationEmail(deps, input)),
  expireInvitation: asActivityFailure((input) => expireInvitation(deps, input)),
  applyAccessChoices: asActivityFailure((input) => applyAccessChoices(deps, input)),
  sendWelcomeEmail: asActivityFailure((input) => sendWelcomeEmail(deps, input)),
  sendMemberJoinedEmail: asActivityFailure((input) => sendMemberJoinedEmail(deps, input)),
});
