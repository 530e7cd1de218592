import { Writable } from 'node:stream';
import nodemailer from 'nodemailer';
import { createLogger } from '../logger/logger';
import { createMailer, type MailRequest } from './mailer';

/** A mailer over nodemailer's stream transport: it builds the real MIME message and keeps it instead of sending. */
function aMailer() {
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  const sendMail = jest.spyOn(transport, 'sendMail');
  const logLines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logLines.push(chunk.toString('utf8'));
      done();
    },
  });
  const mailer = createMailer({
    smtpUrl: 'smtp://127.0.0.1:1',
    from: 'CRM Accounts <no-reply@crm.test>',
    logger: createLogger({ service: 'mailer-test', destination }),
    transport,
  });
  const rawMessages = () =>
    Promise.all(
      sendMail.mock.results.map(async (result) => ((await result.value) as { message: Buffer }).message.toString()),
    );
  return { mailer, rawMessages, logLines };
}

const invitation = (overrides: Partial<Extract<MailRequest, { template: 'invitation' }>> = {}): MailRequest => ({
  to: 'grace@acme.test',
  template: 'invitation',
  data: {
    accountName: 'Acme Dental',
    inviterName: 'Ada Lovelace',
    firstName: 'Grace',
    acceptUrl: 'https://app.crm.example/invite/tok_secret',
    expiresAt: '2026-03-08T14:30:00Z',
  },
  ...overrides,
});

describe('createMailer', () => {
  it('sends a text and HTML email carrying its idempotency key', async () => {
    const { mailer, rawMessages } = aMailer();

    const { messageId } = await mailer.send(invitation({ idempotencyKey: 'invite-1:email:1' }));

    const [raw] = await rawMessages();
    expect(raw).toContain('X-Idempotency-Key: invite-1:email:1');
    expect(raw).toContain(`Message-ID: ${messageId}`);
    expect(raw).toContain('X-Crm-Template: invitation');
    expect(raw).toContain('Subject: Ada Lovelace invited you to join Acme Dental');
    expect(raw).toContain('Content-Type: multipart/alternative');
    expect(raw).toContain('Content-Type: text/plain');
    expect(raw).toContain('Content-Type: text/html');
  });

  it('derives the Message-ID from the idempotency key, so a retried send repeats it', async () => {
    const { mailer } = aMailer();

    const first = await mailer.send(invitation({ idempotencyKey: 'invite-1:email:1' }));
    const retried = await mailer.send(invitation({ idempotencyKey: 'invite-1:email:1' }));
    const resent = await mailer.send(invitation({ idempotencyKey: 'invite-1:email:2' }));

    expect(first.messageId).toMatch(/^<[0-9a-f]{40}@crm\.test>$/);
    expect(retried.messageId).toBe(first.messageId);
    expect(resent.messageId).not.toBe(first.messageId);
  });

  it('lets nodemailer choose the Message-ID when there is no idempotency key', async () => {
    const { mailer, rawMessages } = aMailer();

    const { messageId } = await mailer.send(invitation());

    expect(messageId).toMatch(/^<.+@crm\.test>$/);
    expect((await rawMessages())[0]).not.toContain('X-Idempotency-Key');
  });

  it('logs the template and key, but neither the recipient address nor the link', async () => {
    const { mailer, logLines } = aMailer();

    await mailer.send(invitation({ idempotencyKey: 'k1' }));

    expect(logLines).toHaveLength(1);
    expect(JSON.parse(logLines[0] ?? '')).toMatchObject({
      msg: 'email sent',
      template: 'invitation',
      idempotencyKey: 'k1',
      recipientDomain: 'acme.test',
    });
    expect(logLines[0]).not.toContain('grace@');
    expect(logLines[0]).not.toContain('tok_secret');
  });

  it('refuses an idempotency key that could not be a header value', async () => {
    const { mailer, rawMessages } = aMailer();

    await expect(mailer.send(invitation({ idempotencyKey: 'a\r\nBcc: x@y.z' }))).rejects.toThrow(TypeError);
    expect(await rawMessages()).toEqual([]);
  });
});
