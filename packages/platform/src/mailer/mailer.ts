import { createHash } from 'node:crypto';
import nodemailer, { type Transporter } from 'nodemailer';
import addressparser from 'nodemailer/lib/addressparser';
import type { Logger } from '../logger/logger';
import { renderTemplate, type TemplateData, type TemplateName } from './templates';

/** One email to send: a template from the registry and its data, type-checked together. */
export type MailRequest = {
  [Name in TemplateName]: {
    to: string;
    template: Name;
    data: TemplateData<Name>;
    /**
     * Passed in by the workflow (e.g. `invite-<id>:email:1`), never generated here (ARCHITECTURE.md rule 4).
     * It becomes the `X-Idempotency-Key` header and determines the `Message-ID`, so a retried send of the same
     * email carries the same Message-ID and tests can count deliveries per key.
     */
    idempotencyKey?: string;
  };
}[TemplateName];

export interface SentMail {
  messageId: string;
}

export interface Mailer {
  send(request: MailRequest): Promise<SentMail>;
  /** Connects and greets the SMTP server: a readiness check. */
  verify(): Promise<void>;
  close(): void;
}

export interface MailerOptions {
  /** `smtp://host:port`; see `mailerSettingsSchema`. */
  smtpUrl: string;
  /** The sender, e.g. `CRM Accounts <no-reply@crm.local>`. */
  from: string;
  logger: Pick<Logger, 'info' | 'warn'>;
  /** Replaces the SMTP transport built from `smtpUrl`, e.g. nodemailer's stream transport in unit tests. */
  transport?: Transporter;
}

export const idempotencyKeyHeader = 'X-Idempotency-Key';
export const templateHeader = 'X-Crm-Template';

/** Printable ASCII without spaces, as short as a header value should be. */
const idempotencyKeyPattern = /^[\x21-\x7e]{1,200}$/;

export function createMailer({ smtpUrl, from, logger, transport }: MailerOptions): Mailer {
  const transporter = transport ?? nodemailer.createTransport(smtpUrl);
  const senderDomain = domainOf(from);

  return {
    async send(request) {
      const { to, template, idempotencyKey } = request;
      if (idempotencyKey !== undefined && !idempotencyKeyPattern.test(idempotencyKey)) {
        throw new TypeError('An idempotency key must be 1–200 printable ASCII characters without spaces');
      }
      const rendered = renderTemplate(template, request.data as never);
      const headers: Record<string, string> = { [templateHeader]: template };
      if (idempotencyKey !== undefined) headers[idempotencyKeyHeader] = idempotencyKey;
      const log = { template, idempotencyKey, recipientDomain: domainOf(to) };
      try {
        const info = await transporter.sendMail({
          from,
          to,
          subject: rendered.subject,
          text: rendered.text,
          html: rendered.html,
          headers,
          ...(idempotencyKey === undefined ? {} : { messageId: messageIdFor(idempotencyKey, senderDomain) }),
        });
        logger.info({ ...log, messageId: info.messageId }, 'email sent');
        return { messageId: info.messageId };
      } catch (error) {
        logger.warn({ ...log, err: error }, 'email not sent');
        throw error;
      }
    },
    async verify() {
      await transporter.verify();
    },
    close() {
      transporter.close();
    },
  };
}

/** `<sha256(key)@sender domain>`: the same key always yields the same Message-ID, and the key stays unreadable. */
function messageIdFor(idempotencyKey: string, domain: string): string {
  const digest = createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 40);
  return `<${digest}@${domain}>`;
}

/** The domain of the first address in a header value; recipients are logged by domain only (no personal data). */
function domainOf(addresses: string): string {
  const [first] = addressparser(addresses, { flatten: true });
  return first?.address?.split('@')[1] ?? 'localhost';
}
