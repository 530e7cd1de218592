import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { createLogger, parseConfig } from '@crm/platform';
import { createMailer, type Mailer } from '@crm/platform/mailer';

/** The local stack's mail addresses (`eval "$(bash deploy/local/stack.sh env)"`, or `npm test`). */
const env = parseConfig(
  'mailer integration test (run `npm test`, or eval "$(bash deploy/local/stack.sh env)")',
  z.object({ SMTP_URL: z.url(), MAILPIT_URL: z.url() }),
);

interface MailpitSummary {
  ID: string;
  MessageID: string;
  Subject: string;
}

interface MailpitMessage {
  ID: string;
  MessageID: string;
  Subject: string;
  From: { Name: string; Address: string };
  To: { Address: string }[];
  Text: string;
  HTML: string;
}

async function mailpit<T>(path: string, query?: Record<string, string>): Promise<T> {
  const url = new URL(path, env.MAILPIT_URL);
  for (const [name, value] of Object.entries(query ?? {})) url.searchParams.set(name, value);
  const response = await fetch(url);
  if (!response.ok) throw new Error(`Mailpit ${path} answered ${response.status}`);
  return (await response.json()) as T;
}

/** Mailpit stores a message a moment after the SMTP transaction ends; poll briefly for it. */
async function messagesTo(address: string, expected: number): Promise<MailpitSummary[]> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const { messages } = await mailpit<{ messages: MailpitSummary[] }>('/api/v1/search', { query: `to:"${address}"` });
    if (messages.length >= expected || Date.now() > deadline) return messages;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('mailer over the local Mailpit', () => {
  let mailer: Mailer;

  beforeAll(() => {
    mailer = createMailer({
      smtpUrl: env.SMTP_URL,
      from: 'CRM Accounts <no-reply@crm.local>',
      logger: createLogger({ service: 'mailer-int-test', level: 'silent' }),
    });
  });

  afterAll(() => mailer.close());

  it('delivers an invitation once, with its subject, accept link and idempotency key', async () => {
    const to = `new.hire+${randomUUID()}@acme.test`;
    const acceptUrl = `https://app.crm.example/invite/${randomUUID()}`;
    const idempotencyKey = `invite-${randomUUID()}:email:1`;

    const sent = await mailer.send({
      to,
      template: 'invitation',
      idempotencyKey,
      data: {
        accountName: 'Acme <Dental>',
        inviterName: 'Ada Lovelace',
        firstName: 'Grace',
        acceptUrl,
        expiresAt: '2026-03-08T14:30:00Z',
        timeZone: 'America/New_York',
      },
    });

    const messages = await messagesTo(to, 1);
    expect(messages).toHaveLength(1);
    const [summary] = messages as [MailpitSummary];
    const message = await mailpit<MailpitMessage>(`/api/v1/message/${summary.ID}`);
    const headers = await mailpit<Record<string, string[]>>(`/api/v1/message/${summary.ID}/headers`);

    expect(message.Subject).toBe('Ada Lovelace invited you to join Acme <Dental>');
    expect(message.From).toEqual({ Name: 'CRM Accounts', Address: 'no-reply@crm.local' });
    expect(message.To).toEqual([expect.objectContaining({ Address: to })]);
    expect(message.Text).toContain(acceptUrl);
    expect(message.Text).toContain('expires on March 8, 2026 at 10:30 AM EDT');
    expect(message.HTML).toContain(`href="${acceptUrl}"`);
    expect(message.HTML).toContain('Acme &lt;Dental&gt;');
    expect(headers['X-Idempotency-Key']).toEqual([idempotencyKey]);
    expect(`<${message.MessageID}>`).toBe(sent.messageId);
  });
});
