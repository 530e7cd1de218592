import { ConfigError } from '@crm/platform';
import { loadConfig } from './config';

const base = { DATABASE_URL: 'postgres://identity@127.0.0.1:5432/crm_identity' };

describe('identity config', () => {
  it('defaults to a 7-day invitation with reminders at day 2 and 5, in milliseconds', () => {
    const { identity } = loadConfig(base);

    expect(identity.invite).toEqual({ expiresInMs: 7 * 86_400_000, remindAfterMs: [2 * 86_400_000, 5 * 86_400_000] });
    expect(identity.publicUrl).toBe('http://127.0.0.1:8080');
    expect(identity.session).toEqual({ idleMs: 8 * 3_600_000, absoluteMs: 7 * 86_400_000 });
  });

  it('takes short periods for demos and tests', () => {
    const { identity } = loadConfig({ ...base, IDENTITY_INVITE_EXPIRY: '2m', IDENTITY_INVITE_REMINDERS: '1m,30s' });

    expect(identity.invite).toEqual({ expiresInMs: 120_000, remindAfterMs: [30_000, 60_000] });
  });

  it.each([
    [{ IDENTITY_INVITE_EXPIRY: '31d' }, /IDENTITY_INVITE_EXPIRY: must be at most 30d/],
    [{ IDENTITY_INVITE_EXPIRY: 'a week' }, /IDENTITY_INVITE_EXPIRY: "a week" is not a duration/],
    [{ IDENTITY_INVITE_REMINDERS: '2d,8d' }, /every reminder must come before IDENTITY_INVITE_EXPIRY/],
    [{ IDENTITY_LOGIN_MAX_FAILURES_PER_USER: '50', IDENTITY_LOGIN_USER_WINDOW: '15m' }, /at most 100 are allowed/],
    [{ IDENTITY_PUBLIC_URL: 'ftp://example.com' }, /IDENTITY_PUBLIC_URL/],
  ])('refuses %j, naming the variable', (env, message) => {
    const load = () => loadConfig({ ...base, ...env });

    expect(load).toThrow(ConfigError);
    expect(load).toThrow(message);
  });
});
