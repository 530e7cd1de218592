/**
 * Every business error the platform can report, in one exhaustive table (ARCHITECTURE.md rule 5).
 *
 * - The key is the stable `code`: `<context>.<snake_case_reason>`. It travels as `DomainError.code`, as
 *   `ApplicationFailure.type` across Temporal, and as `code` in problem+json bodies. Never rename one: add a
 *   new code and retire the old one instead.
 * - `http` is the status the gateway answers with (API.md "Status codes that clients depend on").
 * - `retryable` tells Temporal whether an activity that failed with this code may be retried. Business
 *   outcomes (a declined card, a used invitation) never are: retrying cannot change them.
 * - `title` is the short, human-readable summary of the problem type (RFC 9457 `title`): the same for every
 *   occurrence, so it never carries data.
 *
 * Choices worth knowing:
 * - `account.closed` is 403, not 410: a closed account can still be reactivated by an operator during the
 *   30-day retention, so the resource is refused, not gone. `account.purged` is the 410 one.
 * - `billing.no_payment_method` is 409: the request is well formed, the account's state conflicts with it.
 * - `billing.plan_not_found` is 422: the plan id comes in the request body (`{planId, interval}`), so an unknown
 *   one is a validation failure of that field, not a missing URL resource.
 * - `identity.invite_*` (expired, used, revoked, superseded by a resend) are 410, as API.md demands for invitations.
 * - `internal.unexpected` is what any error that is not a DomainError becomes at the edge: 500, no detail.
 */
export const errorCodes = {
  // Generic request problems
  'validation.failed': { http: 422, retryable: false, title: 'The request is invalid' },
  'request.malformed': { http: 400, retryable: false, title: 'The request could not be read' },
  'resource.not_found': { http: 404, retryable: false, title: 'Not found' },
  'resource.conflict': { http: 409, retryable: false, title: 'The request conflicts with the current state' },
  'idempotency.key_reused': {
    http: 409,
    retryable: false,
    title: 'This Idempotency-Key was already used with a different request',
  },
  'idempotency.in_progress': {
    http: 409,
    retryable: true,
    title: 'A request with this Idempotency-Key is still being processed',
  },

  // Authentication and authorization
  'auth.unauthenticated': { http: 401, retryable: false, title: 'Authentication is required' },
  'auth.forbidden': { http: 403, retryable: false, title: 'You do not have permission to do this' },
  'auth.rate_limited': { http: 429, retryable: true, title: 'Too many requests' },

  // Accounts (tenants)
  'account.not_found': { http: 404, retryable: false, title: 'Account not found' },
  'account.paused': { http: 402, retryable: false, title: 'The account is paused until a payment succeeds' },
  'account.closed': { http: 403, retryable: false, title: 'The account is closed' },
  'account.purged': { http: 410, retryable: false, title: 'The account and its data have been deleted' },
  'account.slug_taken': { http: 409, retryable: false, title: 'This account slug is already taken' },
  'account.invalid_transition': {
    http: 409,
    retryable: false,
    title: 'The account cannot make this change in its current status',
  },

  // Identity: users, invitations, credentials, profiles
  'identity.invite_not_found': { http: 404, retryable: false, title: 'Invitation not found' },
  'identity.invite_expired': { http: 410, retryable: false, title: 'The invitation has expired' },
  'identity.invite_used': { http: 410, retryable: false, title: 'The invitation has already been used' },
  'identity.invite_revoked': { http: 410, retryable: false, title: 'The invitation has been revoked' },
  'identity.invite_superseded': {
    http: 410,
    retryable: false,
    title: 'A newer invitation email replaced this link',
  },
  'identity.email_taken': {
    http: 409,
    retryable: false,
    title: 'A user with this email already exists in the account',
  },
  'identity.last_admin': { http: 409, retryable: false, title: 'The last active admin cannot be removed' },
  'identity.owner_protected': {
    http: 409,
    retryable: false,
    title: 'The account owner cannot be removed or deactivated',
  },
  'identity.weak_password': { http: 422, retryable: false, title: 'The password is too weak' },
  'identity.invalid_credentials': { http: 401, retryable: false, title: 'Invalid email or password' },
  'identity.reset_token_invalid': {
    http: 410,
    retryable: false,
    title: 'The password reset link is no longer valid',
  },
  'identity.profile_in_use': {
    http: 409,
    retryable: false,
    title: 'The permission profile is in use; choose a profile to reassign its users to',
  },
  'identity.profile_builtin': { http: 409, retryable: false, title: 'Built-in permission profiles cannot be changed' },
  'identity.profile_name_taken': {
    http: 409,
    retryable: false,
    title: 'A permission profile with this name already exists in the account',
  },
  'identity.escalation': {
    http: 403,
    retryable: false,
    title: 'You cannot grant a permission you do not hold',
  },

  // Billing
  'billing.card_declined': { http: 402, retryable: false, title: 'The card was declined' },
  'billing.no_payment_method': { http: 409, retryable: false, title: 'The account has no payment method' },
  'billing.plan_not_found': { http: 422, retryable: false, title: 'Unknown plan or interval' },
  'billing.same_plan': { http: 409, retryable: false, title: 'The account is already on this plan' },
  'billing.no_pending_change': { http: 409, retryable: false, title: 'There is no pending plan change' },
  'billing.webhook_signature_invalid': {
    http: 400,
    retryable: false,
    title: 'The webhook signature is invalid',
  },

  // API keys
  'api_keys.invalid': { http: 401, retryable: false, title: 'The API key is invalid' },

  // Infrastructure
  'dependency.unavailable': {
    http: 503,
    retryable: true,
    title: 'A service this request depends on is unavailable',
  },
  'internal.unexpected': { http: 500, retryable: true, title: 'Internal server error' },
} as const satisfies Record<string, { http: number; retryable: boolean; title: string }>;

export type ErrorCode = keyof typeof errorCodes;

export interface ErrorCodeSpec {
  readonly http: number;
  readonly retryable: boolean;
  readonly title: string;
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(errorCodes, value);
}

export function errorSpec(code: ErrorCode): ErrorCodeSpec {
  return errorCodes[code];
}
