import { loadBillingSettings, loadConfig } from './config';

const base = { DATABASE_URL: 'postgres://postgres:postgres@127.0.0.1:5432/crm_billing' };

describe('billing configuration', () => {
  it('defaults to the local Stripe emulator keys and product durations when STRIPE_API_BASE is set', () => {
    const config = loadConfig({ ...base, STRIPE_API_BASE: 'http://127.0.0.1:8420' });
    expect(config.http).toEqual({ host: '127.0.0.1', port: 8083 });
    expect(config.billing).toMatchObject({
      stripe: { apiBase: 'http://127.0.0.1:8420', secretKey: 'sk_test_local_emulator', timeoutMs: 20_000 },
      trialDayLength: 86_400_000,
      prorationDateMaxAge: 3_600_000,
      cardExpiryWarning: 30 * 86_400_000,
      issuer: {
        name: 'CRM Platform, Inc.',
        addressLines: ['100 Market Street', 'San Francisco, CA 94105', 'United States'],
      },
    });
  });

  it('reads durations such as a 2-second trial day for demos', () => {
    expect(
      loadBillingSettings({
        STRIPE_API_BASE: 'http://127.0.0.1:8420',
        BILLING_TRIAL_DAY_LENGTH: '2s',
        BILLING_PRORATION_DATE_MAX_AGE: '15m',
      }),
    ).toMatchObject({
      trialDayLength: 2_000,
      prorationDateMaxAge: 900_000,
    });
  });

  it('names a malformed duration', () => {
    expect(() =>
      loadBillingSettings({ STRIPE_API_BASE: 'http://127.0.0.1:8420', BILLING_TRIAL_DAY_LENGTH: 'one day' }),
    ).toThrow('BILLING_TRIAL_DAY_LENGTH: must be a whole number followed by ms, s, m, h or d');
  });

  it('refuses the emulator placeholders for real Stripe, naming each variable', () => {
    expect(() => loadBillingSettings({})).toThrow(
      /BILLING_STRIPE_SECRET_KEY: is required when STRIPE_API_BASE is not set.*BILLING_STRIPE_PUBLISHABLE_KEY.*BILLING_STRIPE_WEBHOOK_SECRET/,
    );
    expect(
      loadBillingSettings({
        BILLING_STRIPE_SECRET_KEY: 'sk_live_abc',
        BILLING_STRIPE_PUBLISHABLE_KEY: 'pk_live_abc',
        BILLING_STRIPE_WEBHOOK_SECRET: 'whsec_abc',
      }).stripe,
    ).toMatchObject({ apiBase: undefined, secretKey: 'sk_live_abc' });
  });
});
