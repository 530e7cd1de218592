import type { Request, Response } from 'express';
import type { z } from 'zod';
import type { Permission } from '@crm/contracts';
import type { AccountStatusName } from '../routes/account-status.view';

/**
 * Who may call a route; every route declares one.
 * - `public`: anyone (login, invitation pages, health);
 * - `operator`: support staff with the operator token;
 * - `authenticated`: any signed-in user or API key of an account (e.g. `GET /v1/me`);
 * - `permission`: a principal whose effective permissions include it.
 */
export type RouteAccess =
  | { kind: 'public' }
  | { kind: 'operator' }
  | { kind: 'authenticated' }
  | { kind: 'permission'; permission: Permission };

/** Who is calling: a user's session or an API key, always inside one account. */
export interface Principal {
  kind: 'user' | 'api_key';
  accountId: string;
  /** The user, or the API key's creator. */
  userId: string;
  sessionId?: string;
  apiKeyId?: string;
  /** The permission profile the permissions come from (the user's, or the API key's scope). */
  profileId?: string;
  permissions: ReadonlySet<Permission>;
  /** When the credential stops working unless used again; the principal cache never keeps it longer. */
  expiresAt?: Date;
  accountStatus: AccountStatusName;
}

export interface RouteContext<B> {
  req: Request;
  res: Response;
  body: B;
  params: Record<string, string>;
  /** Present on every route whose access is `authenticated` or `permission`. */
  principal?: Principal;
}

export interface RouteResult {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface RouteDefinition<B = unknown> {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** Express syntax: `/operator/v1/accounts/:id`. */
  path: string;
  operationId: string;
  summary: string;
  tag: string;
  access: RouteAccess;
  /**
   * A success may change who can do what (a profile, a user's profile or status, a session ending): this gateway
   * evicts the principals it cached for the caller's account (all of them when there is no caller) before it
   * answers, so the very next request sees the change. Other instances learn it from identity's events.
   */
  changesAccess?: boolean;
  /** A POST that only reads (e.g. an authorization check): not an action for the activity log, like a GET. */
  readOnly?: boolean;
  /** Query parameters the handler reads: name → description (for the OpenAPI document). */
  query?: Record<string, string>;
  body?: z.ZodType<B>;
  /** Status → description and, when there is a body, its schema (for the OpenAPI document). */
  responses: Record<number, { description: string; schema?: z.ZodType }>;
  handle(context: RouteContext<B>): Promise<RouteResult>;
}

export const defineRoute = <B>(route: RouteDefinition<B>): RouteDefinition<B> => route;
