import { randomUUID } from 'node:crypto';
import { DomainError, validationError } from '@crm/platform/errors';
import { isUniqueViolation } from '@crm/platform/pg';
import { idempotentRequestsRepository, requestHash } from '../adapters/idempotent-requests.repository';
import { profilesRepository } from '../adapters/profiles.repository';
import { usersRepository, type StaffRow } from '../adapters/users.repository';
import { assertMayAssign } from '../domain/permission-profile';
import { validateInvitation, type AccessChoices, type StaffDetails } from '../domain/staff-input';
import type { IdentityDeps } from '../deps';
import { addInvitedUser } from './add-invited-user';
import { userActor } from './events';
import { actorAccess } from './permissions-of';

export interface InviteStaff {
  accountId: string;
  actorUserId: string;
  details: StaffDetails;
  access: AccessChoices;
  /** The caller's Idempotency-Key: a repeat answers with the user the first call invited. */
  idempotencyKey?: string;
}

/** Add employee (PRODUCT.md §2): the user starts `invited`; the onboarding workflow sends the email. */
export async function inviteStaff(deps: IdentityDeps, command: InviteStaff): Promise<StaffRow> {
  const input = validateInvitation(command.details, command.access);
  const { accountId } = command;
  const scope = `identity.invite-staff:${accountId}`;
  const hash = requestHash({ actor: command.actorUserId, ...input });
  try {
    const userId = await deps.db.transaction(async (tx) => {
      if (command.idempotencyKey) {
        const earlier = await idempotentRequestsRepository.find<{ userId: string }>(
          tx,
          scope,
          command.idempotencyKey,
          hash,
        );
        if (earlier) return earlier.userId;
      }
      const profile = await profilesRepository.findForAssignment(tx, accountId, input.profileId);
      if (!profile)
        throw validationError([
          {
            field: 'profileId',
            message: `no permission profile "${input.profileId}" in this account`,
            code: 'unknown',
          },
        ]);
      const actor = await actorAccess(tx, accountId, command.actorUserId);
      assertMayAssign(actor, profile, `invite someone with the ${profile.name} profile`);
      if (input.copyAccessFrom) {
        const source = await usersRepository.findById(tx, accountId, input.copyAccessFrom);
        if (!source || source.status === 'removed') {
          throw validationError([
            { field: 'copyAccessFrom', message: 'copyAccessFrom names no user of this account', code: 'unknown' },
          ]);
        }
      }
      if (await usersRepository.findByEmail(tx, accountId, input.email)) throw emailTaken();
      const { user } = await addInvitedUser(tx, deps, {
        accountId,
        userId: randomUUID(),
        invitationId: randomUUID(),
        details: input,
        access: input,
        isOwner: false,
        invitedBy: command.actorUserId,
        actor: userActor(command.actorUserId),
      });
      if (command.idempotencyKey)
        await idempotentRequestsRepository.save(tx, scope, command.idempotencyKey, hash, { userId: user.id });
      return user.id;
    });
    const row = await usersRepository.staffRow(deps.db.pool, accountId, userId);
    if (!row) throw new Error(`invited user ${userId} vanished`);
    return row;
  } catch (error) {
    const raced = isUniqueViolation(error) || (error instanceof DomainError && error.code === 'identity.email_taken');
    if (raced && command.idempotencyKey) {
      // A concurrent repeat of the same request committed first (its user's email, or its key, collided with ours,
      // or our email check already saw its user): answer with its user.
      const earlier = await idempotentRequestsRepository.find<{ userId: string }>(
        deps.db.pool,
        scope,
        command.idempotencyKey,
        hash,
      );
      const row = earlier && (await usersRepository.staffRow(deps.db.pool, accountId, earlier.userId));
      if (row) return row;
    }
    if (isUniqueViolation(error, 'users_email_per_account')) throw emailTaken();
    throw error;
  }
}

const emailTaken = () =>
  new DomainError('identity.email_taken', undefined, {
    message: 'a user with this email already exists in the account',
    fieldErrors: [{ field: 'email', message: 'a user with this email already exists in the account', code: 'taken' }],
  });
