import { errorCodes, type ErrorCode } from './codes';
import { isDomainError, type FieldError } from './domain-error';
import { fromTemporalFailure } from './temporal';

/**
 * Problem type URIs — one stable, readable slug per code:
 *
 *   https://errors.crm.example/<code with every "." and "_" replaced by "-">
 *
 *   account.paused          → https://errors.crm.example/account-paused   (API.md: the paused type is `account-paused`)
 *   identity.invite_expired → https://errors.crm.example/identity-invite-expired
 *   api_keys.invalid        → https://errors.crm.example/api-keys-invalid
 *
 * Clients may compare `type` (or its last segment) verbatim; the unit tests check that no two codes share a slug.
 * The URI identifies the problem; it need not resolve (RFC 9457 §3.1.1), though docs may be served there later.
 */
export const problemTypeBase = 'https://errors.crm.example/';

export const problemContentType = 'application/problem+json';

export function problemTypeUri(code: ErrorCode): string {
  return problemTypeBase + code.replace(/[._]/g, '-');
}

/** An RFC 9457 problem details object, with this platform's extension members. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  /** This occurrence, for a person; absent for unexpected errors so nothing internal leaks. */
  detail?: string;
  /** The stable error code (`account.paused`), for programs. */
  code: ErrorCode;
  /** The invalid fields of a 422. */
  errors?: FieldError[];
  instance?: string;
  traceId?: string;
}

export interface ProblemContext {
  /** Identifies this occurrence, usually the request path. */
  instance?: string;
  traceId?: string;
}

export interface Problem {
  status: number;
  body: ProblemDetails;
  /** Content-Type, and Retry-After when a DomainError says how long to wait (`details.retryAfterSeconds`). */
  headers: Record<string, string>;
}

/**
 * The HTTP answer for any error: a DomainError (also one carried inside a Temporal failure) becomes its code's
 * status and problem type; anything else becomes a 500 `internal.unexpected` whose body says nothing about the
 * error. Log the original error yourself (with the trace id): this function does not.
 */
export function problemFor(error: unknown, { instance, traceId }: ProblemContext = {}): Problem {
  const domain = isDomainError(error) ? error : fromTemporalFailure(error);
  const code: ErrorCode = domain?.code ?? 'internal.unexpected';
  const spec = errorCodes[code];
  const body: ProblemDetails = { type: problemTypeUri(code), title: spec.title, status: spec.http, code };
  if (domain !== undefined) body.detail = domain.message;
  if (spec.http === 422) body.errors = domain?.fieldErrors ?? [];
  if (instance !== undefined) body.instance = instance;
  if (traceId !== undefined) body.traceId = traceId;

  const headers: Record<string, string> = { 'Content-Type': problemContentType };
  const retryAfter = domain?.details?.retryAfterSeconds;
  if (typeof retryAfter === 'number' && Number.isFinite(retryAfter) && retryAfter >= 0) {
    headers['Retry-After'] = String(Math.ceil(retryAfter));
  }
  return { status: spec.http, body, headers };
}
