import { z } from 'zod';
import type { ServiceClients } from '../clients';
import { defineRoute } from '../http/route';
import { originOf } from './auth.routes';
import { iso } from './staff.views';

/** The token is the credential (API.md "Invitations"): these routes are public. */
export const invitationRoutes = (clients: ServiceClients) => [
  defineRoute({
    method: 'get',
    path: '/v1/invitations/:token',
    operationId: 'getInvitation',
    summary: 'What an invitation link is for: the account, the email to sign in with, the expiry',
    tag: 'Invitations',
    access: { kind: 'public' },
    responses: {
      200: {
        description: 'The invitation can be accepted',
        schema: z.object({
          accountName: z.string(),
          email: z.email(),
          firstName: z.string(),
          expiresAt: z.iso.datetime(),
        }),
      },
      404: { description: 'No such invitation link' },
      410: {
        description: 'The link was used, has expired, was revoked, or was replaced by a newer email (see `code`)',
      },
    },
    async handle({ params }) {
      const invitation = await clients.identity.getInvitation({ token: params.token ?? '' });
      return {
        status: 200,
        body: {
          accountName: invitation.accountName,
          email: invitation.email,
          firstName: invitation.firstName,
          expiresAt: iso(invitation.expiresAt),
        },
        headers: { 'Cache-Control': 'no-store' },
      };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/v1/invitations/:token/accept',
    operationId: 'acceptInvitation',
    summary:
      'Accept an invitation by choosing a password (12–128 characters, not a common one); the user can then sign in',
    tag: 'Invitations',
    access: { kind: 'public' },
    body: z.object({ password: z.string().min(1).max(1024) }).strict(),
    responses: {
      200: {
        description: 'Accepted: the user is active',
        schema: z.object({ userId: z.uuid(), email: z.email(), account: z.object({ id: z.uuid(), slug: z.string() }) }),
      },
      404: { description: 'No such invitation link' },
      410: { description: 'The link was used, has expired, was revoked, or was replaced by a newer email' },
      422: { description: 'The password is too short, too long or too common' },
    },
    async handle({ body, params, req }) {
      const accepted = await clients.identity.acceptInvitation({
        token: params.token ?? '',
        password: body.password,
        origin: originOf(req),
      });
      return {
        status: 200,
        body: {
          userId: accepted.userId,
          email: accepted.email,
          account: { id: accepted.accountId, slug: accepted.accountSlug },
        },
      };
    },
  }),
];
