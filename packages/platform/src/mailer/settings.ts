import addressparser from 'nodemailer/lib/addressparser';
import { z } from 'zod';

/** True when the value is exactly one mailbox, e.g. `CRM Accounts <no-reply@example.com>`. */
function isSingleMailbox(value: string): boolean {
  const parsed = addressparser(value);
  return parsed.length === 1 && /^[^@\s]+@[^@\s]+$/.test(parsed[0]?.address ?? '');
}

/**
 * The mailer's part of a service's configuration (ARCHITECTURE.md rule 7), to merge into its schema:
 * `parseConfig('identity', z.object({ ...mailerSettingsSchema.shape, DATABASE_URL: z.url() }))`.
 *
 * `SMTP_URL` may carry nodemailer's URL options: `smtps://user:pass@host:465`, `smtp://host:587?pool=true`.
 * The defaults are the local stack's Mailpit.
 */
export const mailerSettingsSchema = z.object({
  SMTP_URL: z
    .url({ protocol: /^smtps?$/, error: 'must be an smtp:// or smtps:// URL' })
    .default('smtp://127.0.0.1:1025'),
  MAIL_FROM: z
    .string()
    .refine(isSingleMailbox, 'must be one address, e.g. "CRM Accounts <no-reply@example.com>"')
    .default('CRM Accounts <no-reply@crm.local>'),
});

export type MailerSettings = z.infer<typeof mailerSettingsSchema>;
