import { z } from 'zod';
import { actorToProto, isPermission } from '@crm/contracts';
import { DomainError } from '@crm/platform/errors';
import type { ServiceClients } from '../clients';
import { setActivityTarget } from '../http/activity-recorder';
import { defineRoute, type Principal } from '../http/route';
import { catalogue, catalogueView, profileView, toProfileView } from './permissions.views';

const permissionList = z
  .array(z.string().max(64))
  .max(200)
  .describe('Permission ids from GET /v1/permissions; an unknown one is refused (422), duplicates are merged');
const profileName = z.string().max(200).describe('1–60 characters, unique in the account whatever its case');

const createBody = z
  .object({
    name: profileName,
    permissions: permissionList
      .optional()
      .describe('Default: none. A new profile grants nothing until given permissions'),
  })
  .strict();

const updateBody = z
  .object({
    name: profileName.optional(),
    permissions: permissionList.optional().describe('Replaces every permission of the profile'),
  })
  .strict()
  .refine((body) => body.name !== undefined || body.permissions !== undefined, 'send name, permissions, or both');

const checkBody = z
  .object({
    permission: z
      .string()
      .max(64)
      .refine(isPermission, 'not a permission: GET /v1/permissions lists them')
      .describe('A permission id, e.g. contacts.edit'),
  })
  .strict();

const one = z.object({ profile: profileView });
const BUILTIN_OR_UUID = /^(admin|user|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;

/** The caller as the actor of a change, and the account it happens in. */
const scope = (principal: Principal | undefined) => {
  if (!principal) throw new DomainError('auth.unauthenticated');
  return { accountId: principal.accountId, actor: actorToProto({ kind: 'user', id: principal.userId }) };
};

/** A profile id from the URL; anything that cannot be one is not found, like another account's. */
const profileIdParam = (params: Record<string, string>) => {
  const id = params.id ?? '';
  if (!BUILTIN_OR_UUID.test(id))
    throw new DomainError('resource.not_found', undefined, { message: 'no such permission profile in this account' });
  return id.toLowerCase();
};

export const permissionRoutes = (clients: ServiceClients) => [
  defineRoute({
    method: 'get',
    path: '/v1/permissions',
    operationId: 'listPermissions',
    summary: 'The permission catalogue, with a label for people, grouped by section',
    tag: 'Permissions',
    access: { kind: 'authenticated' },
    responses: { 200: { description: 'Every permission a profile can hold', schema: catalogueView } },
    async handle() {
      return { status: 200, body: catalogue(), headers: { 'Cache-Control': 'private, max-age=300' } };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/v1/permission-profiles',
    operationId: 'listPermissionProfiles',
    summary: 'The account’s permission profiles: the built-in Admin and User, then custom profiles by name',
    tag: 'Permissions',
    access: { kind: 'permission', permission: 'staff.view' },
    responses: {
      200: {
        description: 'Profiles with their permissions and user counts',
        schema: z.object({ profiles: z.array(profileView) }),
      },
    },
    async handle({ principal }) {
      const { profiles } = await clients.identity.listPermissionProfiles({ accountId: scope(principal).accountId });
      return { status: 200, body: { profiles: profiles.map(toProfileView) } };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/v1/permission-profiles',
    operationId: 'createPermissionProfile',
    summary: 'Create a custom profile (empty unless permissions are given: least privilege)',
    tag: 'Permissions',
    access: { kind: 'permission', permission: 'profiles.manage' },
    body: createBody,
    responses: {
      201: {
        description: 'Created. A repeat with the same Idempotency-Key answers with the same profile.',
        schema: one,
      },
      403: { description: 'You lack profiles.manage, or a permission you are granting (identity.escalation)' },
      409: { description: 'Another profile of the account has this name' },
      422: { description: 'Invalid name or unknown permission' },
    },
    async handle({ principal, body, req, res }) {
      const { profile } = await clients.identity.createPermissionProfile({
        ...scope(principal),
        name: body.name,
        permissions: body.permissions ?? [],
        idempotencyKey: req.get('idempotency-key')?.trim() ?? '',
      });
      const view = toProfileView(profile);
      setActivityTarget(res, `profile:${view.id}`);
      return { status: 201, body: { profile: view }, headers: { Location: `/v1/permission-profiles/${view.id}` } };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/v1/permission-profiles/:id',
    operationId: 'getPermissionProfile',
    summary: 'One permission profile',
    tag: 'Permissions',
    access: { kind: 'permission', permission: 'staff.view' },
    responses: {
      200: { description: 'The profile', schema: one },
      404: { description: 'No such profile in this account' },
    },
    async handle({ principal, params }) {
      const { profile } = await clients.identity.getPermissionProfile({
        accountId: scope(principal).accountId,
        profileId: profileIdParam(params),
      });
      return { status: 200, body: { profile: toProfileView(profile) } };
    },
  }),
  defineRoute({
    method: 'patch',
    path: '/v1/permission-profiles/:id',
    operationId: 'updatePermissionProfile',
    summary: 'Rename a custom profile or replace its permissions; its users have the new ones on their next request',
    tag: 'Permissions',
    access: { kind: 'permission', permission: 'profiles.manage' },
    changesAccess: true,
    body: updateBody,
    responses: {
      200: { description: 'The profile after the change', schema: one },
      403: { description: 'The profile holds, or would hold, a permission you lack (identity.escalation)' },
      404: { description: 'No such profile in this account' },
      409: { description: 'A built-in profile, or another profile has this name' },
      422: { description: 'Invalid name or unknown permission' },
    },
    async handle({ principal, params, body }) {
      const { profile } = await clients.identity.updatePermissionProfile({
        ...scope(principal),
        profileId: profileIdParam(params),
        name: body.name,
        permissions: body.permissions === undefined ? undefined : { permissions: body.permissions },
      });
      return { status: 200, body: { profile: toProfileView(profile) } };
    },
  }),
  defineRoute({
    method: 'delete',
    path: '/v1/permission-profiles/:id',
    operationId: 'deletePermissionProfile',
    summary:
      'Delete a custom profile. If anyone holds it, pass ?reassignTo=<profile id>: its users get that profile instead',
    tag: 'Permissions',
    access: { kind: 'permission', permission: 'profiles.manage' },
    changesAccess: true,
    query: {
      reassignTo: 'The profile its users get instead (`admin`, `user` or a custom profile id); required when in use',
    },
    responses: {
      200: {
        description: 'Deleted',
        schema: z.object({ reassignedUsers: z.number().int(), reassignedTo: z.string().nullable() }),
      },
      403: { description: 'The profile, or the one its users move to, holds a permission you lack' },
      404: { description: 'No such profile in this account' },
      409: { description: 'A built-in profile, or a profile in use and no reassignTo (identity.profile_in_use)' },
      422: { description: 'reassignTo names no profile of the account' },
    },
    async handle({ principal, params, req }) {
      const reassignTo = typeof req.query.reassignTo === 'string' ? req.query.reassignTo.trim() : '';
      const { reassignedUsers } = await clients.identity.deletePermissionProfile({
        ...scope(principal),
        profileId: profileIdParam(params),
        reassignTo,
      });
      return { status: 200, body: { reassignedUsers, reassignedTo: reassignedUsers > 0 ? reassignTo : null } };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/v1/authz/check',
    operationId: 'checkPermission',
    summary:
      'Whether you (the session or API key making the request) hold a permission, as of now. Other CRM services ask this on behalf of a caller.',
    tag: 'Permissions',
    access: { kind: 'authenticated' },
    readOnly: true,
    body: checkBody,
    responses: {
      200: { description: 'The answer', schema: z.object({ permission: z.string(), allowed: z.boolean() }) },
      422: { description: 'Not a permission of the catalogue' },
    },
    async handle({ principal, body }) {
      if (!principal) throw new DomainError('auth.unauthenticated');
      return {
        status: 200,
        body: { permission: body.permission, allowed: principal.permissions.has(body.permission) },
        headers: { 'Cache-Control': 'no-store' },
      };
    },
  }),
];
