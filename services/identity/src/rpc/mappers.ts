import { timestampDate, timestampFromDate, type Timestamp } from '@bufbuild/protobuf/wkt';
import { accountStatusToProto } from '@crm/contracts';
import type { IdentityAccount } from '../adapters/accounts.repository';
import type { StoredProfile } from '../adapters/profiles.repository';
import type { ActivityEntry } from '../adapters/activity.repository';
import type { Session } from '../adapters/sessions.repository';
import type { StaffRow } from '../adapters/users.repository';
import { effectivePermissions } from '../domain/user';

const ts = (date: Date | null | undefined) => (date ? timestampFromDate(date) : undefined);
export const dateOf = (timestamp: Timestamp | undefined) => (timestamp ? timestampDate(timestamp) : undefined);

export const accountToProto = (account: IdentityAccount) => ({
  id: account.id,
  slug: account.slug,
  name: account.name,
  status: accountStatusToProto(account.status),
});

/** A pending invitation past its expiry reads as expired even before the workflow has marked it. */
export function staffToProto(row: StaffRow, now: Date) {
  const invitationStatus =
    row.invitationStatus === 'pending' && row.invitationExpiresAt && row.invitationExpiresAt <= now
      ? 'expired'
      : row.invitationStatus;
  return {
    id: row.id,
    email: row.email,
    firstName: row.firstName,
    lastName: row.lastName,
    phone: row.phone,
    profile: { id: row.profileId, name: row.profileName },
    status: row.status,
    isOwner: row.isOwner,
    createdAt: ts(row.createdAt),
    activatedAt: ts(row.activatedAt),
    invitation: row.invitationId
      ? { id: row.invitationId, status: invitationStatus ?? '', expiresAt: ts(row.invitationExpiresAt) }
      : undefined,
    inNoCalendar: row.inNoCalendar,
    inNoPipeline: row.inNoPipeline,
  };
}

export const sessionToProto = (session: Session, currentSessionId: string, idleMs: number) => ({
  id: session.id,
  createdAt: ts(session.createdAt),
  lastSeenAt: ts(session.lastSeenAt),
  expiresAt: ts(new Date(Math.min(session.absoluteExpiresAt.getTime(), session.lastSeenAt.getTime() + idleMs))),
  ip: session.ip,
  userAgent: session.userAgent,
  current: session.id === currentSessionId,
});

export const activityToProto = (entry: ActivityEntry) => ({
  id: entry.id,
  accountId: entry.accountId,
  actorUserId: entry.actorUserId ?? '',
  action: entry.action,
  target: entry.target,
  occurredAt: ts(entry.occurredAt),
  ip: entry.ip,
  userAgent: entry.userAgent,
  result: entry.result,
  statusCode: entry.statusCode ?? 0,
});

/** A profile with its effective permissions (the built-ins' from the catalogue), sorted. */
export const profileToProto = (profile: StoredProfile) => ({
  id: profile.id,
  name: profile.name,
  builtin: profile.builtin,
  permissions: effectivePermissions(profile).sort(),
  userCount: profile.userCount,
  createdAt: ts(profile.createdAt),
  updatedAt: ts(profile.updatedAt),
});
