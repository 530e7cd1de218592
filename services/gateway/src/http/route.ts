import type { Request, Response } from 'express';
import type { z } from 'zod';

/** Who may call a route. Every route declares one (issue: roles and permissions extends `permission`). */
export type RouteAccess = { kind: 'public' } | { kind: 'operator' };

export interface RouteContext<B> {
  req: Request;
  res: Response;
  body: B;
  params: Record<string, string>;
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
  body?: z.ZodType<B>;
  /** Status → description and, when there is a body, its schema (for the OpenAPI document). */
  responses: Record<number, { description: string; schema?: z.ZodType }>;
  handle(context: RouteContext<B>): Promise<RouteResult>;
}

export const defineRoute = <B>(route: RouteDefinition<B>): RouteDefinition<B> => route;
