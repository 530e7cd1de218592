import { randomUUID } from 'node:crypto';
import { e2eEnv } from './env';

export interface ApiResponse<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
}

/** One HTTP call to the gateway, JSON in and out (problem+json included). */
export async function api<T = any>(
  method: string,
  path: string,
  options: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  Object.assign(headers, options.headers);
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(new URL(path, e2eEnv().GATEWAY_URL), {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await response.text();
  const type = response.headers.get('content-type') ?? '';
  return { status: response.status, headers: response.headers, body: (type.includes('json') && text ? JSON.parse(text) : text) as T };
}

/** An operator call (support staff, with the operator token). */
export const operator = <T = any>(method: string, path: string, body?: unknown, headers?: Record<string, string>) =>
  api<T>(method, path, { token: e2eEnv().OPERATOR_TOKEN, body, headers });

/** A provisioning request for a new, uniquely named account; override any field. */
export function anAccountRequest(overrides: Record<string, unknown> = {}) {
  const unique = randomUUID().slice(0, 8);
  return {
    name: `Acme Dental ${unique}`,
    timezone: 'America/Chicago',
    owner: { firstName: 'Ada', lastName: 'Lovelace', email: `owner.${unique}@acme.test`, phone: '+13125550100' },
    planId: 'starter',
    interval: 'month',
    ...overrides,
  };
}
