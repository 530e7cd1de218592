import type { OnboardingEmailInput } from '@crm/workflows/messages';
import { fullName } from '../domain/user';
import type { IdentityDeps } from '../deps';
import { deliverOnce } from './deliver-once';
import { loadInvitationContext } from './invitation-context';

/** For the invite workflow, after acceptance: "Welcome to <account>" to the new member, once. */
export async function sendWelcomeEmail(deps: IdentityDeps, input: OnboardingEmailInput): Promise<void> {
  await deliverOnce(deps, input.idempotencyKey, async (tx) => {
    const { invitation, invitee, account } = await loadInvitationContext(tx, input);
    if (invitation.status !== 'accepted') return undefined;
    return async () => ({
      to: invitee.email,
      template: 'welcome',
      data: {
        accountName: account.name,
        firstName: invitee.firstName,
        email: invitee.email,
        loginUrl: `${deps.options.publicUrl}/login?account=${account.slug}`,
      },
    });
  });
}

/** For the invite workflow, after acceptance: "<member> joined <account>" to the inviter, once (none for the owner). */
export async function sendMemberJoinedEmail(deps: IdentityDeps, input: OnboardingEmailInput): Promise<void> {
  await deliverOnce(deps, input.idempotencyKey, async (tx) => {
    const { invitation, invitee, account, inviter } = await loadInvitationContext(tx, input);
    if (invitation.status !== 'accepted' || !inviter || inviter.status !== 'active') return undefined;
    return async () => ({
      to: inviter.email,
      template: 'member-joined',
      data: {
        accountName: account.name,
        firstName: inviter.firstName,
        memberName: fullName(invitee),
        memberEmail: invitee.email,
        staffUrl: `${deps.options.publicUrl}/console/staff/${invitee.id}`,
      },
    });
  });
}
