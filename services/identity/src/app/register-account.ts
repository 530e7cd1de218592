import type { EventActor } from '@crm/contracts';
import type { Tx } from '@crm/platform/pg';
import { accountsRepository } from '../adapters/accounts.repository';
import { profilesRepository } from '../adapters/profiles.repository';
import { ADMIN_PROFILE_ID } from '../domain/user';
import type { IdentityDeps } from '../deps';
import { addInvitedUser } from './add-invited-user';

export interface RegisterAccount {
  accountId: string;
  slug: string;
  name: string;
  timezone: string;
  owner: { firstName: string; lastName: string; email: string; phone: string };
  /** Chosen by the account service; empty in events from before it chose them (then nobody is invited). */
  ownerUserId: string;
  ownerInvitationId: string;
  actor: EventActor;
}

/**
 * Identity learns of a new account (inside the consumer's inbox transaction): it records it, gives it the built-in
 * profiles, and invites the owner as an Admin with the ids the account service chose.
 */
export async function registerAccount(tx: Tx, deps: IdentityDeps, command: RegisterAccount): Promise<void> {
  const now = deps.now();
  const recorded = await accountsRepository.register(tx, {
    id: command.accountId,
    slug: command.slug,
    name: command.name,
    timezone: command.timezone,
    ownerEmail: command.owner.email.toLowerCase(),
    registeredAt: now,
  });
  if (!recorded) return;
  await profilesRepository.seedBuiltins(tx, command.accountId, now);
  if (!command.ownerUserId || !command.ownerInvitationId) {
    deps.logger.warn({ accountId: command.accountId }, 'account.created without owner ids: no owner invitation');
    return;
  }
  await addInvitedUser(tx, deps, {
    accountId: command.accountId,
    userId: command.ownerUserId,
    invitationId: command.ownerInvitationId,
    details: {
      firstName: command.owner.firstName.trim(),
      lastName: command.owner.lastName.trim(),
      email: command.owner.email.trim().toLowerCase(),
      phone: command.owner.phone,
      profileId: ADMIN_PROFILE_ID,
    },
    access: { calendarIds: [], pipelineIds: [] },
    isOwner: true,
    actor: command.actor,
  });
  await accountsRepository.setOwner(tx, command.accountId, command.ownerUserId);
}
