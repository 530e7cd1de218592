import { DomainError } from '@crm/platform/errors';
import { profilesRepository, type StoredProfile } from '../adapters/profiles.repository';
import type { IdentityDeps } from '../deps';

/** A profile id that names nothing in this account (another account's, a deleted one, or garbage): 404. */
export const profileNotFound = (profileId: string) =>
  new DomainError('resource.not_found', { profileId }, { message: 'no such permission profile in this account' });

/** `GET /v1/permission-profiles`: the built-ins, then custom profiles by name, each with its user count. */
export function listPermissionProfiles(deps: IdentityDeps, accountId: string): Promise<StoredProfile[]> {
  return profilesRepository.list(deps.db.pool, accountId);
}

/** `GET /v1/permission-profiles/{id}`. */
export async function getPermissionProfile(
  deps: IdentityDeps,
  command: { accountId: string; profileId: string },
): Promise<StoredProfile> {
  const profile = await profilesRepository.get(deps.db.pool, command.accountId, command.profileId);
  if (!profile) throw profileNotFound(command.profileId);
  return profile;
}
