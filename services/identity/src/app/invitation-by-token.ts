import { DomainError } from '@crm/platform/errors';
import type { Queryable } from '@crm/platform/pg';
import { invitationsRepository, type Invitation } from '../adapters/invitations.repository';
import { hashToken, looksLikeToken, sameDigest } from '../domain/tokens';

/**
 * The invitation a link opens, if the link can still be used: 404 for a link that was never issued, 410 (with a
 * code saying why: used, revoked, expired, superseded by a resend) for one that no longer works.
 */
export async function usableInvitation(db: Queryable, token: string, now: Date, lock = false): Promise<Invitation> {
  const notFound = () =>
    new DomainError('identity.invite_not_found', undefined, { message: 'this invitation link is not valid' });
  if (!looksLikeToken('invitation', token)) throw notFound();
  const digest = hashToken(token);
  const found = await invitationsRepository.findByToken(db, digest, lock);
  if (!found || !sameDigest(found.tokenHash, digest)) throw notFound();
  const { invitation, tokenGeneration } = found;
  switch (invitation.status) {
    case 'accepted':
      throw new DomainError(
        'identity.invite_used',
        { invitationId: invitation.id },
        { message: 'this invitation was already accepted: sign in instead' },
      );
    case 'revoked':
      throw new DomainError(
        'identity.invite_revoked',
        { invitationId: invitation.id },
        { message: 'this invitation was withdrawn by an administrator of the account' },
      );
    case 'expired':
      throw expired(invitation);
    case 'pending':
      if (tokenGeneration !== invitation.generation) {
        throw new DomainError(
          'identity.invite_superseded',
          { invitationId: invitation.id },
          { message: 'a newer invitation email replaced this link: use the link in the latest email' },
        );
      }
      if (invitation.expiresAt.getTime() <= now.getTime()) throw expired(invitation);
      return invitation;
  }
}

const expired = (invitation: Invitation) =>
  new DomainError(
    'identity.invite_expired',
    { invitationId: invitation.id },
    { message: 'this invitation has expired: ask an administrator of the account to send a new one' },
  );
