import type { InvitationRef } from '@crm/workflows/messages';
import { invitationsRepository } from '../adapters/invitations.repository';
import { membershipsRepository } from '../adapters/memberships.repository';
import type { IdentityDeps } from '../deps';

/**
 * EXTENSION POINT for round-robin calendars and pipelines (PRODUCT.md §4), run by the invite workflow on acceptance:
 * puts the new member into the calendars and pipelines chosen at invite time, and into every one that the
 * "copy access from" user is in. Idempotent (memberships are a set).
 *
 * Today it writes the `memberships` table that the staff list's `inNoCalendar`/`inNoPipeline` flags read. When the
 * calendars/pipelines issue lands, this is the one place to check that each id still exists in the account, and
 * to announce the membership changes so scheduling can rebalance.
 */
export async function applyAccessChoices(deps: IdentityDeps, input: InvitationRef): Promise<void> {
  await deps.db.transaction(async (tx) => {
    const invitation = await invitationsRepository.findById(tx, input.accountId, input.invitationId);
    if (!invitation || invitation.status !== 'accepted') return;
    const now = deps.now();
    const { accountId, userId } = invitation;
    const copied = invitation.copyAccessFrom
      ? await membershipsRepository.listForUser(tx, accountId, invitation.copyAccessFrom)
      : [];
    const ids = (kind: 'calendar' | 'pipeline', chosen: string[]) => [
      ...new Set([...chosen, ...copied.filter((m) => m.kind === kind).map((m) => m.resourceId)]),
    ];
    await membershipsRepository.add(tx, accountId, userId, 'calendar', ids('calendar', invitation.calendarIds), now);
    await membershipsRepository.add(tx, accountId, userId, 'pipeline', ids('pipeline', invitation.pipelineIds), now);
  });
}
