import { errorCodes, isErrorCode, type ErrorCode } from './codes';
import { problemTypeUri } from './problem';

const allCodes = Object.keys(errorCodes) as ErrorCode[];

describe('errorCodes', () => {
  it.each(allCodes)('%s has a client or server error status and a title', (code) => {
    const spec = errorCodes[code];
    expect(Number.isInteger(spec.http)).toBe(true);
    expect(spec.http).toBeGreaterThanOrEqual(400);
    expect(spec.http).toBeLessThanOrEqual(599);
    expect(spec.title.trim().length).toBeGreaterThan(0);
    expect(typeof spec.retryable).toBe('boolean');
  });

  it.each(allCodes)('%s is named <context>.<snake_case_reason>', (code) => {
    expect(code).toMatch(/^[a-z][a-z_]*\.[a-z][a-z_]*$/);
  });

  it('gives every code its own problem type slug', () => {
    const slugs = allCodes.map(problemTypeUri);
    expect(new Set(slugs).size).toBe(allCodes.length);
  });

  it('answers the statuses that API.md promises clients', () => {
    expect({
      'validation.failed': errorCodes['validation.failed'].http,
      'auth.unauthenticated': errorCodes['auth.unauthenticated'].http,
      'auth.forbidden': errorCodes['auth.forbidden'].http,
      'auth.rate_limited': errorCodes['auth.rate_limited'].http,
      'resource.not_found': errorCodes['resource.not_found'].http,
      'resource.conflict': errorCodes['resource.conflict'].http,
      'account.paused': errorCodes['account.paused'].http,
      'identity.invite_expired': errorCodes['identity.invite_expired'].http,
      'identity.invite_used': errorCodes['identity.invite_used'].http,
      'identity.invite_revoked': errorCodes['identity.invite_revoked'].http,
      'api_keys.invalid': errorCodes['api_keys.invalid'].http,
    }).toEqual({
      'validation.failed': 422,
      'auth.unauthenticated': 401,
      'auth.forbidden': 403,
      'auth.rate_limited': 429,
      'resource.not_found': 404,
      'resource.conflict': 409,
      'account.paused': 402,
      'identity.invite_expired': 410,
      'identity.invite_used': 410,
      'identity.invite_revoked': 410,
      'api_keys.invalid': 401,
    });
  });

  it('never retries a business outcome such as a declined card or a used invitation', () => {
    expect(errorCodes['billing.card_declined'].retryable).toBe(false);
    expect(errorCodes['identity.invite_used'].retryable).toBe(false);
    expect(errorCodes['dependency.unavailable'].retryable).toBe(true);
  });

  it('recognises only the codes in the table', () => {
    expect(isErrorCode('account.paused')).toBe(true);
    expect(isErrorCode('account.unknown')).toBe(false);
    expect(isErrorCode('toString')).toBe(false);
    expect(isErrorCode(42)).toBe(false);
  });
});
