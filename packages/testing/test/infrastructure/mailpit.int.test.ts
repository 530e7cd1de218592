import { randomUUID } from 'node:crypto';
import nodemailer from 'nodemailer';
import { stackEnv } from '@crm/testing';

interface MailpitSearch {
  messages: { Subject: string; To: { Address: string }[]; From: { Address: string } }[];
}

describe('Mailpit on the local stack', () => {
  it('receives an email sent over SMTP, readable through its API', async () => {
    const to = `new.hire+${randomUUID()}@acme.test`;
    const transport = nodemailer.createTransport(stackEnv().SMTP_URL);
    await transport.sendMail({
      from: 'CRM Accounts <no-reply@crm.test>',
      to,
      subject: 'You are invited to Acme Dental',
      text: 'Set your password to join.',
    });
    transport.close();

    const search = new URL('/api/v1/search', stackEnv().MAILPIT_URL);
    search.searchParams.set('query', `to:${to}`);
    const response = await fetch(search);
    expect(response.status).toBe(200);
    const body = (await response.json()) as MailpitSearch;
    expect(body.messages).toHaveLength(1);
    expect(body.messages[0]).toMatchObject({
      Subject: 'You are invited to Acme Dental',
      To: [{ Address: to }],
      From: { Address: 'no-reply@crm.test' },
    });
  });
});
