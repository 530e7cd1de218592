import type { ConnectRouter } from '@connectrpc/connect';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { IdentityService, accountStatusToProto, actorFromProto } from '@crm/contracts';
import { DomainError, validationError } from '@crm/platform/errors';
import type { ActivityResult } from '../adapters/activity.repository';
import { acceptInvitation } from '../app/accept-invitation';
import { authenticate } from '../app/authenticate';
import { changeStaffStatus } from '../app/change-staff-status';
import { checkPermission } from '../app/check-permission';
import { createPermissionProfile } from '../app/create-permission-profile';
import { deletePermissionProfile } from '../app/delete-permission-profile';
import { getPermissionProfile, listPermissionProfiles } from '../app/permission-profile-queries';
import { updatePermissionProfile } from '../app/update-permission-profile';
import { accountRegisteredAt } from '../app/confirm-registration';
import { getInvitation } from '../app/get-invitation';
import { getMe } from '../app/get-me';
import { inviteStaff } from '../app/invite-staff';
import { listActivity } from '../app/list-activity';
import { login } from '../app/login';
import { requestPasswordReset, resetPassword } from '../app/password-reset';
import { recordActivity } from '../app/record-activity';
import { originFrom } from '../app/request-origin';
import { resendInvitation } from '../app/resend-invitation';
import { revokeInvitation } from '../app/revoke-invitation';
import { listSessions, logout, revokeSession } from '../app/sessions';
import { getStaff, listStaff } from '../app/staff-queries';
import { updateStaff } from '../app/update-staff';
import type { StatusChange } from '../domain/user';
import type { IdentityDeps } from '../deps';
import { accountToProto, activityToProto, dateOf, profileToProto, sessionToProto, staffToProto } from './mappers';

/** The user behind a state-changing call: the gateway passes the principal's user as the actor. */
function actingUser(actor: Parameters<typeof actorFromProto>[0] | undefined): string {
  if (!actor) throw validationError([{ field: 'actor', message: 'actor is required', code: 'required' }]);
  const { kind, id } = actorFromProto(actor);
  if (kind !== 'user' || !id)
    throw new DomainError('auth.forbidden', undefined, { message: 'only a signed-in user can do this' });
  return id;
}

export const identityRoutes = (deps: IdentityDeps) => (router: ConnectRouter) =>
  router.service(IdentityService, {
    async getAccountRegistration(request) {
      const registeredAt = await accountRegisteredAt(deps, request.accountId);
      return { registered: registeredAt !== undefined, registeredAt: registeredAt && timestampFromDate(registeredAt) };
    },

    async authenticate(request) {
      const principal = await authenticate(deps, request.token);
      return {
        principal: {
          ...principal,
          accountStatus: accountStatusToProto(principal.accountStatus),
          expiresAt: timestampFromDate(principal.expiresAt),
        },
      };
    },
    async login(request) {
      const session = await login(deps, {
        account: request.account,
        email: request.email,
        password: request.password,
        origin: originFrom(request.origin),
      });
      return {
        token: session.token,
        expiresAt: timestampFromDate(session.expiresAt),
        user: staffToProto(session.user, deps.now()),
        account: accountToProto(session.account),
      };
    },
    async logout(request) {
      await logout(deps, request);
      return {};
    },
    async getMe(request) {
      const me = await getMe(deps, request);
      return {
        user: staffToProto(me.user, deps.now()),
        account: accountToProto(me.account),
        permissions: me.permissions,
      };
    },
    async listSessions(request) {
      const sessions = await listSessions(deps, request);
      return {
        sessions: sessions.map((session) =>
          sessionToProto(session, request.currentSessionId, deps.options.session.idleMs),
        ),
      };
    },
    async revokeSession(request) {
      await revokeSession(deps, request);
      return {};
    },
    async requestPasswordReset(request) {
      await requestPasswordReset(deps, {
        account: request.account,
        email: request.email,
        origin: originFrom(request.origin),
      });
      return {};
    },
    async resetPassword(request) {
      await resetPassword(deps, {
        token: request.token,
        password: request.password,
        origin: originFrom(request.origin),
      });
      return {};
    },

    async getInvitation(request) {
      const view = await getInvitation(deps, request.token);
      return { ...view, expiresAt: timestampFromDate(view.expiresAt) };
    },
    async acceptInvitation(request) {
      return acceptInvitation(deps, {
        token: request.token,
        password: request.password,
        origin: originFrom(request.origin),
      });
    },

    async inviteStaff(request) {
      const row = await inviteStaff(deps, {
        accountId: request.accountId,
        actorUserId: actingUser(request.actor),
        details: {
          firstName: request.firstName,
          lastName: request.lastName,
          email: request.email,
          phone: request.phone,
          profileId: request.profileId,
        },
        access: {
          calendarIds: request.calendarIds,
          pipelineIds: request.pipelineIds,
          copyAccessFrom: request.copyAccessFrom || undefined,
        },
        idempotencyKey: request.idempotencyKey || undefined,
      });
      return { user: staffToProto(row, deps.now()) };
    },
    async listStaff(request) {
      const rows = await listStaff(deps, {
        accountId: request.accountId,
        status: request.status,
        query: request.query,
      });
      return { users: rows.map((row) => staffToProto(row, deps.now())) };
    },
    async getStaff(request) {
      return { user: staffToProto(await getStaff(deps, request), deps.now()) };
    },
    async updateStaff(request) {
      const row = await updateStaff(deps, {
        accountId: request.accountId,
        actorUserId: actingUser(request.actor),
        userId: request.userId,
        firstName: request.firstName,
        lastName: request.lastName,
        phone: request.phone,
        profileId: request.profileId,
      });
      return { user: staffToProto(row, deps.now()) };
    },
    async changeStaffStatus(request) {
      const row = await changeStaffStatus(deps, {
        accountId: request.accountId,
        actorUserId: actingUser(request.actor),
        userId: request.userId,
        change: request.change as StatusChange,
      });
      return { user: staffToProto(row, deps.now()) };
    },
    async resendInvitation(request) {
      const row = await resendInvitation(deps, {
        accountId: request.accountId,
        actorUserId: actingUser(request.actor),
        userId: request.userId,
      });
      return { user: staffToProto(row, deps.now()) };
    },
    async revokeInvitation(request) {
      const row = await revokeInvitation(deps, {
        accountId: request.accountId,
        actorUserId: actingUser(request.actor),
        userId: request.userId,
      });
      return { user: staffToProto(row, deps.now()) };
    },

    async recordActivity(request) {
      const entry = request.entry;
      if (!entry) throw validationError([{ field: 'entry', message: 'entry is required', code: 'required' }]);
      await recordActivity(deps, {
        accountId: entry.accountId,
        actorUserId: entry.actorUserId || null,
        action: entry.action,
        target: entry.target,
        occurredAt: dateOf(entry.occurredAt) ?? deps.now(),
        ip: entry.ip,
        userAgent: entry.userAgent,
        result: (['success', 'failure', 'denied'].includes(entry.result) ? entry.result : 'failure') as ActivityResult,
        statusCode: entry.statusCode || null,
      });
      return {};
    },
    async listActivity(request) {
      const entries = await listActivity(deps, request.accountId, {
        actorUserId: request.actorUserId || undefined,
        aboutUserId: request.aboutUserId || undefined,
        action: request.action || undefined,
        from: dateOf(request.from),
        to: dateOf(request.to),
        beforeId: request.beforeId || undefined,
        limit: request.limit || undefined,
      });
      return { entries: entries.map(activityToProto) };
    },

    async listPermissionProfiles(request) {
      const profiles = await listPermissionProfiles(deps, request.accountId);
      return { profiles: profiles.map(profileToProto) };
    },
    async getPermissionProfile(request) {
      return { profile: profileToProto(await getPermissionProfile(deps, request)) };
    },
    async createPermissionProfile(request) {
      const profile = await createPermissionProfile(deps, {
        accountId: request.accountId,
        actorUserId: actingUser(request.actor),
        name: request.name,
        permissions: request.permissions,
        idempotencyKey: request.idempotencyKey || undefined,
      });
      return { profile: profileToProto(profile) };
    },
    async updatePermissionProfile(request) {
      const profile = await updatePermissionProfile(deps, {
        accountId: request.accountId,
        actorUserId: actingUser(request.actor),
        profileId: request.profileId,
        name: request.name,
        permissions: request.permissions?.permissions,
      });
      return { profile: profileToProto(profile) };
    },
    async deletePermissionProfile(request) {
      return deletePermissionProfile(deps, {
        accountId: request.accountId,
        actorUserId: actingUser(request.actor),
        profileId: request.profileId,
        reassignTo: request.reassignTo || undefined,
      });
    },
    async checkPermission(request) {
      return checkPermission(deps, request);
    },
  });
