import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { Code, ConnectError } from '@connectrpc/connect';
import { createLogger } from '@crm/platform';
import { DomainError } from '@crm/platform/errors';
import { createGatewayApp } from '../app';
import type { ServiceClients } from '../clients';

/** The gateway with an identity service that knows one invitation token and records what it was asked. */
async function aGateway(identity: Partial<ServiceClients['identity']>) {
  const app = createGatewayApp({
    clients: { identity, account: {}, billing: {} } as unknown as ServiceClients,
    operatorToken: 'operator-token-0123456789',
    authenticate: async () => {
      throw new DomainError('auth.unauthenticated');
    },
    publicUrl: 'http://127.0.0.1',
    logger: createLogger({ service: 'gateway-test', level: 'silent' }),
    readinessChecks: [],
  });
  const server: Server = await new Promise((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { base, close: () => new Promise((resolve) => server.close(resolve)) };
}

const invitation = {
  accountName: 'Acme <Dental>',
  email: 'grace@acme.test',
  firstName: 'Grace',
  expiresAt: timestampFromDate(new Date('2026-03-08T14:30:00Z')),
};

describe('the invitation page', () => {
  it('shows the account and email, escaped, in a labelled form that posts back without JavaScript', async () => {
    const gateway = await aGateway({ getInvitation: async () => invitation as never });
    try {
      const response = await fetch(`${gateway.base}/invite/inv_abc`);
      const page = await response.text();

      expect(response.status).toBe(200);
      expect(response.headers.get('referrer-policy')).toBe('no-referrer');
      expect(response.headers.get('cache-control')).toBe('no-store');
      expect(page).toContain('Join Acme &lt;Dental&gt;');
      expect(page).toContain('grace@acme.test');
      expect(page).toContain('<form method="post" action="/invite/inv_abc"');
      expect(page).toContain('<label for="password">New password</label>');
      expect(page).toMatch(/<input\s+id="password"\s+name="password"\s+type="password"\s+autocomplete="new-password"/);
      expect(page).toContain('<label for="confirm">Repeat the password</label>');
      expect(page).not.toContain('<script');
    } finally {
      await gateway.close();
    }
  });

  it.each([
    ['identity.invite_expired', 410, 'This invitation has expired'],
    ['identity.invite_used', 410, 'This invitation was already accepted'],
    ['identity.invite_revoked', 410, 'This invitation was withdrawn'],
    ['identity.invite_superseded', 410, 'A newer invitation replaced this link'],
    ['identity.invite_not_found', 404, 'This link is not valid'],
  ] as const)('explains a %s link in plain words with status %i', async (code, status, words) => {
    const gateway = await aGateway({
      getInvitation: async () => {
        throw new DomainError(code);
      },
    });
    try {
      const response = await fetch(`${gateway.base}/invite/inv_abc`);

      expect(response.status).toBe(status);
      expect(await response.text()).toContain(words);
    } finally {
      await gateway.close();
    }
  });

  it('accepts the form, and shows the form again with the reason when the password is refused', async () => {
    const passwords: string[] = [];
    const gateway = await aGateway({
      getInvitation: async () => invitation as never,
      acceptInvitation: async ({ password }: { password: string }) => {
        passwords.push(password);
        if (password.length < 12) {
          // As the Connect client hands it over: the service's DomainError as the cause of a ConnectError.
          const refused = new DomainError('identity.weak_password', undefined, {
            message: 'the password must have at least 12 characters',
          });
          throw new ConnectError(refused.message, Code.InvalidArgument, undefined, undefined, refused);
        }
        return { accountId: 'a', accountSlug: 'acme-dental', userId: 'u', email: 'grace@acme.test' } as never;
      },
    } as never);
    const post = (password: string, confirm = password) =>
      fetch(`${gateway.base}/invite/inv_abc`, { method: 'POST', body: new URLSearchParams({ password, confirm }) });
    try {
      const short = await post('short');
      const mismatch = await post('long enough password', 'another long password');
      const accepted = await post('long enough password');

      expect(short.status).toBe(422);
      expect(await short.text()).toMatch(/role="alert"[^>]*>the password must have at least 12 characters/);
      expect(mismatch.status).toBe(422);
      expect(await mismatch.text()).toContain('The two passwords are not the same');
      expect(accepted.status).toBe(200);
      expect(await accepted.text()).toContain('You have joined Acme &lt;Dental&gt;');
      expect(passwords).toEqual(['short', 'long enough password']);
    } finally {
      await gateway.close();
    }
  });
});
