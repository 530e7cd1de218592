import type { InvitationEmailInput, InvitationStepResult } from '@crm/workflows/messages';
import { invitationsRepository } from '../adapters/invitations.repository';
import { issueToken } from '../domain/tokens';
import { fullName } from '../domain/user';
import type { IdentityDeps } from '../deps';
import { deliverOnce } from './deliver-once';
import { loadInvitationContext } from './invitation-context';

/**
 * For the invite workflow: emails a fresh single-use link (the invitation email, or a reminder) for the current
 * generation, once per idempotency key. Each email carries its own link, all valid until the invitation is
 * accepted, revoked, expired or resent. Returns where the invitation stands so the workflow can stop.
 */
export async function sendInvitationEmail(
  deps: IdentityDeps,
  input: InvitationEmailInput,
): Promise<InvitationStepResult> {
  let result: InvitationStepResult = { state: 'pending', generation: input.generation };
  await deliverOnce(deps, input.idempotencyKey, async (tx) => {
    const { invitation, invitee, account, inviter } = await loadInvitationContext(tx, input);
    result = { state: invitation.status, generation: invitation.generation };
    if (invitation.status !== 'pending' || invitation.generation !== input.generation) return undefined;
    return async (claimed) => {
      const { token, hash } = issueToken('invitation');
      await invitationsRepository.addToken(claimed, invitation, hash, deps.now());
      return {
        to: invitee.email,
        template: input.kind === 'reminder' ? 'invitation-reminder' : 'invitation',
        data: {
          accountName: account.name,
          inviterName: inviter ? fullName(inviter) : 'Your CRM provider',
          firstName: invitee.firstName,
          acceptUrl: `${deps.options.publicUrl}/invite/${token}`,
          expiresAt: invitation.expiresAt,
          timeZone: account.timezone,
        },
      };
    };
  });
  return result;
}
