import { randomUUID } from 'node:crypto';
import { identityEvents, newEnvelope } from '@crm/contracts';
import { DomainError } from '@crm/platform/errors';
import { appendToOutbox } from '@crm/platform/messaging';
import { isUniqueViolation } from '@crm/platform/pg';
import { idempotentRequestsRepository, requestHash } from '../adapters/idempotent-requests.repository';
import { profilesRepository, type StoredProfile } from '../adapters/profiles.repository';
import { assertCovers, validateNewProfile } from '../domain/permission-profile';
import type { PermissionProfile } from '../domain/user';
import type { IdentityDeps } from '../deps';
import { profileSnapshot, userActor } from './events';
import { actorAccess, assertHolds } from './permissions-of';

export interface CreatePermissionProfile {
  accountId: string;
  actorUserId: string;
  name: string;
  /** Empty unless given: a new profile grants nothing (PRODUCT.md §3, least privilege). */
  permissions: readonly string[];
  /** The caller's Idempotency-Key: a repeat answers with the profile the first call created. */
  idempotencyKey?: string;
}

/** `POST /v1/permission-profiles`: a custom profile, named uniquely in the account, with no more than the actor holds. */
export async function createPermissionProfile(
  deps: IdentityDeps,
  command: CreatePermissionProfile,
): Promise<StoredProfile> {
  const input = validateNewProfile(command);
  const { accountId } = command;
  const scope = `identity.create-profile:${accountId}`;
  const hash = requestHash({ actor: command.actorUserId, ...input });
  const load = async (id: string) => {
    const stored = await profilesRepository.get(deps.db.pool, accountId, id);
    if (!stored) throw new Error(`profile ${id} vanished after it was created`);
    return stored;
  };
  try {
    const id = await deps.db.transaction(async (tx) => {
      if (command.idempotencyKey) {
        const earlier = await idempotentRequestsRepository.find<{ profileId: string }>(
          tx,
          scope,
          command.idempotencyKey,
          hash,
        );
        if (earlier) return earlier.profileId;
      }
      const actor = await actorAccess(tx, accountId, command.actorUserId);
      assertHolds(actor, 'profiles.manage');
      assertCovers(actor.permissions, input.permissions, 'create a profile with these permissions');
      if (await profilesRepository.nameTaken(tx, accountId, input.name)) throw nameTaken(input.name);
      const profile: PermissionProfile = {
        id: randomUUID(),
        name: input.name,
        builtin: false,
        permissions: input.permissions,
      };
      await profilesRepository.insert(tx, accountId, profile, deps.now());
      await appendToOutbox(
        tx,
        newEnvelope(identityEvents.profileCreated, {
          accountId,
          actor: userActor(command.actorUserId),
          payload: { accountId, profile: profileSnapshot(profile) },
        }),
      );
      if (command.idempotencyKey)
        await idempotentRequestsRepository.save(tx, scope, command.idempotencyKey, hash, { profileId: profile.id });
      return profile.id;
    });
    return await load(id);
  } catch (error) {
    const raced =
      isUniqueViolation(error) || (error instanceof DomainError && error.code === 'identity.profile_name_taken');
    if (raced && command.idempotencyKey) {
      // A concurrent repeat of the same request committed first (its profile's name, or its key, collided with
      // ours, or our name check already saw its profile): answer with its profile.
      const earlier = await idempotentRequestsRepository.find<{ profileId: string }>(
        deps.db.pool,
        scope,
        command.idempotencyKey,
        hash,
      );
      if (earlier) return load(earlier.profileId);
    }
    if (isUniqueViolation(error, 'permission_profiles_name_per_account')) throw nameTaken(input.name);
    throw error;
  }
}

/** Two live profiles of an account never share a name, whatever its case (the built-ins' included). */
export const nameTaken = (name: string) =>
  new DomainError(
    'identity.profile_name_taken',
    { name },
    {
      message: `a permission profile named "${name}" already exists in this account`,
      fieldErrors: [{ field: 'name', message: 'another profile of the account has this name', code: 'taken' }],
    },
  );
