import { z } from 'zod';
import { ConfigError, commaList, parseConfig, port } from '@crm/platform';
import { mailerSettingsSchema } from '@crm/platform/mailer';
import { serviceSettingsSchema, type ServiceSettings } from '@crm/platform/service';
import { parseDuration } from './domain/duration';

const DAY = 86_400_000;

/** A duration such as `7d`, `12h`, `30m`, `45s` or `500ms`, within bounds. */
const duration = (min: number, max: number, bounds: string) =>
  z.string().transform((text, ctx) => {
    const ms = parseDuration(text);
    if (ms === undefined) {
      ctx.addIssue({ code: 'custom', message: `"${text}" is not a duration such as 7d, 12h, 30m or 45s` });
      return z.NEVER;
    }
    if (ms < min || ms > max) ctx.addIssue({ code: 'custom', message: `must be ${bounds}` });
    return ms;
  });

const positiveInt = z.coerce.number().int().min(1);

const schema = z.object({
  ...serviceSettingsSchema.shape,
  ...mailerSettingsSchema.shape,
  IDENTITY_HTTP_HOST: z.string().default('127.0.0.1'),
  IDENTITY_HTTP_PORT: port.default(8082),
  /** Base of every link in identity's emails (the gateway's public address): `<base>/invite/<token>`, … */
  IDENTITY_PUBLIC_URL: z.url({ protocol: /^https?$/ }).default('http://127.0.0.1:8080'),
  IDENTITY_INVITE_EXPIRY: duration(
    1_000,
    30 * DAY,
    'at most 30d (the product allows 1d to 30d; shorter is for demos and tests)',
  ).default(7 * DAY),
  IDENTITY_INVITE_REMINDERS: commaList
    .transform((items, ctx) =>
      items.map((item) => {
        const ms = parseDuration(item);
        if (ms === undefined || ms <= 0)
          ctx.addIssue({ code: 'custom', message: `"${item}" is not a duration such as 2d` });
        return ms ?? 0;
      }),
    )
    .default([2 * DAY, 5 * DAY]),
  IDENTITY_SESSION_IDLE_TIMEOUT: duration(1_000, 30 * DAY, 'between 1s and 30d').default(8 * 3_600_000),
  IDENTITY_SESSION_ABSOLUTE_TIMEOUT: duration(1_000, 90 * DAY, 'between 1s and 90d').default(7 * DAY),
  IDENTITY_PASSWORD_RESET_EXPIRY: duration(1_000, DAY, 'between 1s and 1d').default(3_600_000),
  IDENTITY_LOGIN_MAX_FAILURES_PER_USER: positiveInt.max(100).default(10),
  IDENTITY_LOGIN_USER_WINDOW: duration(1_000, DAY, 'between 1s and 1d').default(15 * 60_000),
  IDENTITY_LOGIN_MAX_FAILURES_PER_IP: positiveInt.default(200),
  IDENTITY_LOGIN_IP_WINDOW: duration(1_000, DAY, 'between 1s and 1d').default(15 * 60_000),
});

/** Identity's own settings, in milliseconds where they are durations. */
export interface IdentityOptions {
  publicUrl: string;
  mail: { smtpUrl: string; from: string };
  invite: { expiresInMs: number; remindAfterMs: number[] };
  session: { idleMs: number; absoluteMs: number };
  passwordResetMs: number;
  login: { maxFailuresPerUser: number; userWindowMs: number; maxFailuresPerIp: number; ipWindowMs: number };
}

export type IdentitySettings = ServiceSettings & { identity: IdentityOptions };

/** Parsed once, at start; a bad or missing variable stops the process with a line naming it. */
export function loadConfig(env: Record<string, string | undefined> = process.env): IdentitySettings {
  const parsed = parseConfig('identity', schema, env);
  const reminders = parsed.IDENTITY_INVITE_REMINDERS;
  const late = reminders.filter((ms) => ms >= parsed.IDENTITY_INVITE_EXPIRY);
  if (late.length > 0) {
    throw new ConfigError('identity', [
      'IDENTITY_INVITE_REMINDERS: every reminder must come before IDENTITY_INVITE_EXPIRY',
    ]);
  }
  const failuresPerHour =
    parsed.IDENTITY_LOGIN_MAX_FAILURES_PER_USER * Math.max(1, 3_600_000 / parsed.IDENTITY_LOGIN_USER_WINDOW);
  if (failuresPerHour > 100) {
    throw new ConfigError('identity', [
      `IDENTITY_LOGIN_MAX_FAILURES_PER_USER / IDENTITY_LOGIN_USER_WINDOW allow ${Math.floor(failuresPerHour)} failed sign-ins per hour on one user; at most 100 are allowed`,
    ]);
  }
  return {
    ...parsed,
    http: { host: parsed.IDENTITY_HTTP_HOST, port: parsed.IDENTITY_HTTP_PORT },
    identity: {
      publicUrl: parsed.IDENTITY_PUBLIC_URL.replace(/\/+$/, ''),
      mail: { smtpUrl: parsed.SMTP_URL, from: parsed.MAIL_FROM },
      invite: { expiresInMs: parsed.IDENTITY_INVITE_EXPIRY, remindAfterMs: [...reminders].sort((a, b) => a - b) },
      session: { idleMs: parsed.IDENTITY_SESSION_IDLE_TIMEOUT, absoluteMs: parsed.IDENTITY_SESSION_ABSOLUTE_TIMEOUT },
      passwordResetMs: parsed.IDENTITY_PASSWORD_RESET_EXPIRY,
      login: {
        maxFailuresPerUser: parsed.IDENTITY_LOGIN_MAX_FAILURES_PER_USER,
        userWindowMs: parsed.IDENTITY_LOGIN_USER_WINDOW,
        maxFailuresPerIp: parsed.IDENTITY_LOGIN_MAX_FAILURES_PER_IP,
        ipWindowMs: parsed.IDENTITY_LOGIN_IP_WINDOW,
      },
    },
  };
}
