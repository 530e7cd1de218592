import { z } from 'zod';
import { parseConfig, port } from '@crm/platform';
import { serviceSettingsSchema, type ServiceSettings } from '@crm/platform/service';

const units = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** A duration such as `500ms`, `30s`, `15m`, `24h`, `14d`, parsed to milliseconds. */
export const duration = z
  .string()
  .regex(/^\d+(ms|s|m|h|d)$/, 'must be a whole number followed by ms, s, m, h or d, e.g. 30s or 14d')
  .transform((value) => {
    const [, amount = '0', unit = 'ms'] = /^(\d+)(ms|s|m|h|d)$/.exec(value) ?? [];
    return Number(amount) * units[unit as keyof typeof units];
  });

/** Placeholders that work with the local Stripe emulator only; real Stripe needs real keys. */
const LOCAL_SECRET_KEY = 'sk_test_local_emulator';
const LOCAL_PUBLISHABLE_KEY = 'pk_test_local_emulator';
const LOCAL_WEBHOOK_SECRET = 'whsec_local_emulator_only';

const billingSchema = z
  .object({
    /** Unset in production (the SDK talks to api.stripe.com); the local emulator's URL in development. */
    STRIPE_API_BASE: z.url({ protocol: /^https?$/ }).optional(),
    BILLING_STRIPE_SECRET_KEY: z
      .string()
      .regex(/^(sk|rk)_(test|live)_\w+$/, 'must be a Stripe secret key (sk_…)')
      .default(LOCAL_SECRET_KEY),
    BILLING_STRIPE_PUBLISHABLE_KEY: z
      .string()
      .regex(/^pk_(test|live)_\w+$/, 'must be a Stripe publishable key (pk_…)')
      .default(LOCAL_PUBLISHABLE_KEY),
    BILLING_STRIPE_WEBHOOK_SECRET: z
      .string()
      .regex(/^whsec_\w+$/, 'must be a webhook signing secret (whsec_…)')
      .default(LOCAL_WEBHOOK_SECRET),
    /** Timeout of one Stripe API request. */
    BILLING_STRIPE_TIMEOUT: duration.default(20_000),
    /** How long one day of a trial lasts: 24h in production; a demo sets e.g. 2s to run a 14-day trial in 28 s. */
    BILLING_TRIAL_DAY_LENGTH: duration.default(units.d),
    /** How far back a preview's prorationDate may be passed to a plan change (so it invoices the previewed lines). */
    BILLING_PRORATION_DATE_MAX_AGE: duration.default(units.h),
    /** The billing page warns this long before the card's expiry month ends. */
    BILLING_CARD_EXPIRY_WARNING: duration.default(30 * units.d),
    /** The billing page warns this long before a trial ends without a card. */
    BILLING_TRIAL_ENDING_WARNING: duration.default(3 * units.d),
    /** The seller printed at the top of every invoice PDF: name, then address lines separated by `|`. */
    BILLING_INVOICE_ISSUER: z
      .string()
      .min(1)
      .default('CRM Platform, Inc.|100 Market Street|San Francisco, CA 94105|United States'),
  })
  .superRefine((env, context) => {
    if (env.STRIPE_API_BASE !== undefined) return;
    const placeholders = [
      ['BILLING_STRIPE_SECRET_KEY', LOCAL_SECRET_KEY],
      ['BILLING_STRIPE_PUBLISHABLE_KEY', LOCAL_PUBLISHABLE_KEY],
      ['BILLING_STRIPE_WEBHOOK_SECRET', LOCAL_WEBHOOK_SECRET],
    ] as const;
    for (const [name, placeholder] of placeholders) {
      if (env[name] === placeholder) {
        context.addIssue({
          code: 'custom',
          path: [name],
          message: 'is required when STRIPE_API_BASE is not set (real Stripe)',
        });
      }
    }
  });

/** Billing's own settings, handed to its use cases. Durations in milliseconds. */
export interface BillingSettings {
  stripe: {
    apiBase: string | undefined;
    secretKey: string;
    publishableKey: string;
    webhookSecret: string;
    timeoutMs: number;
  };
  trialDayLength: number;
  prorationDateMaxAge: number;
  cardExpiryWarning: number;
  trialEndingWarning: number;
  issuer: { name: string; addressLines: string[] };
}

export type BillingConfig = ServiceSettings & { billing: BillingSettings };

const schema = z.object({
  ...serviceSettingsSchema.shape,
  BILLING_HTTP_HOST: z.string().default('127.0.0.1'),
  BILLING_HTTP_PORT: port.default(8083),
});

/** Parsed once, at start; a bad or missing variable stops the process with a line naming it. */
export function loadConfig(env: Record<string, string | undefined> = process.env): BillingConfig {
  const parsed = parseConfig('billing', schema, env);
  return {
    ...parsed,
    http: { host: parsed.BILLING_HTTP_HOST, port: parsed.BILLING_HTTP_PORT },
    billing: loadBillingSettings(env),
  };
}

/** Billing's own settings (Stripe, durations, invoice issuer), from the environment. */
export function loadBillingSettings(env: Record<string, string | undefined> = process.env): BillingSettings {
  const parsed = parseConfig('billing', billingSchema, env);
  const [issuerName = '', ...issuerAddress] = parsed.BILLING_INVOICE_ISSUER.split('|').map((part) => part.trim());
  return {
    stripe: {
      apiBase: parsed.STRIPE_API_BASE,
      secretKey: parsed.BILLING_STRIPE_SECRET_KEY,
      publishableKey: parsed.BILLING_STRIPE_PUBLISHABLE_KEY,
      webhookSecret: parsed.BILLING_STRIPE_WEBHOOK_SECRET,
      timeoutMs: parsed.BILLING_STRIPE_TIMEOUT,
    },
    trialDayLength: parsed.BILLING_TRIAL_DAY_LENGTH,
    prorationDateMaxAge: parsed.BILLING_PRORATION_DATE_MAX_AGE,
    cardExpiryWarning: parsed.BILLING_CARD_EXPIRY_WARNING,
    trialEndingWarning: parsed.BILLING_TRIAL_ENDING_WARNING,
    issuer: { name: issuerName, addressLines: issuerAddress.filter((line) => line.length > 0) },
  };
}
