import { timestampDate, type Timestamp } from '@bufbuild/protobuf/wkt';
import { z } from 'zod';
import type { identityV1 } from '@crm/contracts';
import { accountStatusName, accountStatusView } from './account-status.view';

const iso = (timestamp: Timestamp | undefined) => (timestamp ? timestampDate(timestamp).toISOString() : null);

export const staffView = z.object({
  id: z.uuid(),
  firstName: z.string(),
  lastName: z.string(),
  email: z.email(),
  phone: z.string(),
  profile: z.object({ id: z.string(), name: z.string() }),
  status: z.enum(['invited', 'active', 'deactivated', 'removed']),
  isOwner: z.boolean(),
  createdAt: z.iso.datetime().nullable(),
  activatedAt: z.iso.datetime().nullable(),
  invitation: z
    .object({
      id: z.uuid(),
      status: z.enum(['pending', 'accepted', 'expired', 'revoked']),
      expiresAt: z.iso.datetime().nullable(),
    })
    .nullable()
    .describe('The latest invitation; null for users who never had one'),
  inNoCalendar: z
    .boolean()
    .describe('An active user in no round-robin calendar (new hires are not added automatically)'),
  inNoPipeline: z.boolean().describe('An active user in no pipeline'),
});
export type StaffView = z.infer<typeof staffView>;

export function toStaffView(member: identityV1.StaffMember | undefined): StaffView {
  if (!member) throw new Error('identity answered without a user');
  return {
    id: member.id,
    firstName: member.firstName,
    lastName: member.lastName,
    email: member.email,
    phone: member.phone,
    profile: { id: member.profile?.id ?? '', name: member.profile?.name ?? '' },
    status: member.status as StaffView['status'],
    isOwner: member.isOwner,
    createdAt: iso(member.createdAt),
    activatedAt: iso(member.activatedAt),
    invitation: member.invitation
      ? {
          id: member.invitation.id,
          status: member.invitation.status as 'pending',
          expiresAt: iso(member.invitation.expiresAt),
        }
      : null,
    inNoCalendar: member.inNoCalendar,
    inNoPipeline: member.inNoPipeline,
  };
}

export const accountSummaryView = z.object({
  id: z.uuid(),
  slug: z.string(),
  name: z.string(),
  status: accountStatusView,
});


export function toAccountSummary(account: identityV1.AccountSummary | undefined): z.infer<typeof accountSummaryView> {
  if (!account) throw new Error('identity answered without an account');
  return { id: account.id, slug: account.slug, name: account.name, status: accountStatusName(account.status) ?? 'provisioning' };
}

export { iso };
