import { z } from 'zod';
import { actorToProto } from '@crm/contracts';
import { DomainError } from '@crm/platform/errors';
import type { ServiceClients } from '../clients';
import { setActivityTarget } from '../http/activity-recorder';
import { defineRoute, type Principal, type RouteDefinition } from '../http/route';
import { staffView, toStaffView } from './staff.views';

const e164 = /^\+[1-9]\d{6,14}$/;
const name = z.string().trim().min(1).max(80);
const phone = z.string().regex(e164, 'phone must be in E.164 form, e.g. +13125550100');
const profileId = z.string().trim().min(1).max(64).describe('`admin`, `user`, or a custom profile id');

const inviteBody = z
  .object({
    firstName: name,
    lastName: name,
    email: z.email().max(254),
    phone,
    profileId,
    calendarIds: z.array(z.uuid()).max(100).optional().describe('Round-robin calendars to join on acceptance'),
    pipelineIds: z.array(z.uuid()).max(100).optional().describe('Pipelines to join on acceptance'),
    copyAccessFrom: z.uuid().optional().describe('Also join every calendar and pipeline this user is in'),
  })
  .strict();

const updateBody = z
  .object({
    firstName: name.optional(),
    lastName: name.optional(),
    phone: phone.optional(),
    profileId: profileId.optional(),
  })
  .strict()
  .refine((body) => Object.keys(body).length > 0, 'send at least one of firstName, lastName, phone, profileId');

const one = z.object({ user: staffView });
const uuidParam = z.uuid();

/** The caller as the actor of a change, and the account it happens in. */
const scope = (principal: Principal | undefined) => {
  if (!principal) throw new DomainError('auth.unauthenticated');
  return { accountId: principal.accountId, actor: actorToProto({ kind: 'user', id: principal.userId }) };
};

/** A user id from the URL; anything else cannot be a user of this account. */
const userIdParam = (params: Record<string, string>) => {
  if (!uuidParam.safeParse(params.id).success)
    throw new DomainError('resource.not_found', undefined, { message: 'no such user in this account' });
  return params.id as string;
};

const statusChange = (
  clients: ServiceClients,
  change: 'deactivate' | 'reactivate' | 'remove',
  route: Pick<RouteDefinition, 'method' | 'path' | 'operationId' | 'summary'>,
  permission: 'staff.manage' | 'staff.remove',
) =>
  defineRoute({
    ...route,
    tag: 'Staff',
    access: { kind: 'permission', permission },
    changesAccess: true,
    responses: {
      200: { description: 'The user after the change', schema: one },
      404: { description: 'No such user in this account' },
      409: { description: 'Not possible in the user’s status, or the owner / the last active Admin / yourself' },
    },
    async handle({ principal, params }) {
      const { user } = await clients.identity.changeStaffStatus({
        ...scope(principal),
        userId: userIdParam(params),
        change,
      });
      return { status: 200, body: { user: toStaffView(user) } };
    },
  });

export const staffRoutes = (clients: ServiceClients) => [
  defineRoute({
    method: 'get',
    path: '/v1/staff',
    operationId: 'listStaff',
    summary:
      'The account’s staff (removed users only with status=removed), each flagged when in no calendar or pipeline',
    tag: 'Staff',
    access: { kind: 'permission', permission: 'staff.view' },
    responses: {
      200: { description: 'Users in the order they were added', schema: z.object({ users: z.array(staffView) }) },
      422: { description: 'Unknown status' },
    },
    async handle({ principal, req }) {
      const status = typeof req.query.status === 'string' ? req.query.status : '';
      const query = typeof req.query.q === 'string' ? req.query.q : '';
      const { users } = await clients.identity.listStaff({ accountId: scope(principal).accountId, status, query });
      return { status: 200, body: { users: users.map(toStaffView) } };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/v1/staff',
    operationId: 'inviteStaff',
    summary: 'Add an employee: they are invited by email and join when they set a password',
    tag: 'Staff',
    access: { kind: 'permission', permission: 'staff.manage' },
    body: inviteBody,
    responses: {
      201: {
        description:
          'Invited. The invitation email goes out at once, with reminders at day 2 and 5; it expires after 7 days (configurable). A repeat with the same Idempotency-Key answers with the same user.',
        schema: staffView.extend({
          status: z.literal('invited'),
          invitation: z.object({ id: z.uuid(), status: z.literal('pending'), expiresAt: z.iso.datetime().nullable() }),
        }),
      },
      403: { description: 'You lack staff.manage, or the profile has permissions you do not hold' },
      409: { description: 'A user with this email already exists in the account' },
      422: { description: 'Invalid fields' },
    },
    async handle({ principal, body, res, req }) {
      const { user } = await clients.identity.inviteStaff({
        ...scope(principal),
        ...body,
        idempotencyKey: req.get('idempotency-key')?.trim() ?? '',
        calendarIds: body.calendarIds ?? [],
        pipelineIds: body.pipelineIds ?? [],
        copyAccessFrom: body.copyAccessFrom ?? '',
      });
      const view = toStaffView(user);
      setActivityTarget(res, `user:${view.id}`);
      return { status: 201, body: view, headers: { Location: `/v1/staff/${view.id}` } };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/v1/staff/:id',
    operationId: 'getStaff',
    summary: 'One user of the account',
    tag: 'Staff',
    access: { kind: 'permission', permission: 'staff.view' },
    responses: { 200: { description: 'The user', schema: one }, 404: { description: 'No such user in this account' } },
    async handle({ principal, params }) {
      const { user } = await clients.identity.getStaff({
        accountId: scope(principal).accountId,
        userId: userIdParam(params),
      });
      return { status: 200, body: { user: toStaffView(user) } };
    },
  }),
  defineRoute({
    method: 'patch',
    path: '/v1/staff/:id',
    operationId: 'updateStaff',
    summary: 'Change a user’s name, phone or permission profile (effective on their next request)',
    tag: 'Staff',
    access: { kind: 'permission', permission: 'staff.manage' },
    changesAccess: true,
    body: updateBody,
    responses: {
      200: { description: 'The user after the change', schema: one },
      403: { description: 'The user or the profile has permissions you do not hold' },
      404: { description: 'No such user in this account' },
      409: { description: 'The owner and the last active Admin stay Admins' },
      422: { description: 'Invalid fields' },
    },
    async handle({ principal, params, body }) {
      const { user } = await clients.identity.updateStaff({
        ...scope(principal),
        userId: userIdParam(params),
        ...body,
      });
      return { status: 200, body: { user: toStaffView(user) } };
    },
  }),
  statusChange(
    clients,
    'remove',
    {
      method: 'delete',
      path: '/v1/staff/:id',
      operationId: 'removeStaff',
      summary: 'Remove a user: their sessions end at once, they leave every calendar and pipeline',
    },
    'staff.remove',
  ),
  statusChange(
    clients,
    'deactivate',
    {
      method: 'post',
      path: '/v1/staff/:id/deactivate',
      operationId: 'deactivateStaff',
      summary: 'Deactivate a user (reversible, history kept): their sessions end at once',
    },
    'staff.manage',
  ),
  statusChange(
    clients,
    'reactivate',
    {
      method: 'post',
      path: '/v1/staff/:id/reactivate',
      operationId: 'reactivateStaff',
      summary: 'Reactivate a deactivated user',
    },
    'staff.manage',
  ),
  defineRoute({
    method: 'post',
    path: '/v1/staff/:id/invitation/resend',
    operationId: 'resendInvitation',
    summary: 'Send the invitation again: a new link (every earlier one stops working) and a new expiry',
    tag: 'Staff',
    access: { kind: 'permission', permission: 'staff.manage' },
    responses: {
      200: { description: 'The user with the renewed invitation', schema: one },
      404: { description: 'No such user' },
      409: { description: 'The user has no invitation to resend' },
    },
    async handle({ principal, params }) {
      const { user } = await clients.identity.resendInvitation({ ...scope(principal), userId: userIdParam(params) });
      return { status: 200, body: { user: toStaffView(user) } };
    },
  }),
  defineRoute({
    method: 'delete',
    path: '/v1/staff/:id/invitation',
    operationId: 'revokeInvitation',
    summary: 'Revoke a pending invitation: its links stop working and the invited user is removed',
    tag: 'Staff',
    access: { kind: 'permission', permission: 'staff.manage' },
    responses: {
      200: { description: 'The (removed) invited user', schema: one },
      404: { description: 'No such user' },
      409: { description: 'There is no pending invitation' },
    },
    async handle({ principal, params }) {
      const { user } = await clients.identity.revokeInvitation({ ...scope(principal), userId: userIdParam(params) });
      return { status: 200, body: { user: toStaffView(user) } };
    },
  }),
];
