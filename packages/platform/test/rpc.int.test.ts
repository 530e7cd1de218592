import type { Server } from 'node:http';
import { AccountService } from '@crm/contracts';
import { createLogger } from '../src/logger/logger';
import { closeServer, listenHttpService } from '../src/lifecycle/run-http-service';
import { DomainError, isDomainError } from '../src/errors';
import { connectHandler, rpcClient } from '../src/rpc';

const logger = createLogger({ service: 'rpc-test', level: 'silent' });

describe('internal Connect API: errors cross the process boundary whole', () => {
  let server: Server;
  const port = 18391;
  beforeAll(async () => {
    server = await listenHttpService({
      name: 'rpc-test',
      host: '127.0.0.1',
      port,
      logger,
      handler: connectHandler(
        (router) =>
          router.service(AccountService, {
            async createAccount() {
              throw new DomainError('account.slug_taken', { slug: 'acme' }, { message: 'the slug "acme" is taken' });
            },
            async getAccount() {
              throw new Error('database password is hunter2');
            },
          }),
        logger,
      ),
    });
  });
  afterAll(() => closeServer(server));

  it('rebuilds a DomainError thrown by the service, with its code, message and details', async () => {
    const client = rpcClient(AccountService, `http://127.0.0.1:${port}`);
    const error = await client.createAccount({ name: 'Acme' }).catch((caught: unknown) => caught);
    expect(isDomainError(error)).toBe(true);
    expect(error).toMatchObject({ code: 'account.slug_taken', message: 'the slug "acme" is taken', details: { slug: 'acme' } });
  });

  it('hides an unexpected failure behind an opaque internal error', async () => {
    const client = rpcClient(AccountService, `http://127.0.0.1:${port}`);
    const error = await client.getAccount({ accountId: 'x' }).catch((caught: unknown) => caught);
    expect(isDomainError(error)).toBe(false);
    expect(String(error)).not.toContain('hunter2');
  });

  it('reports a service that cannot be reached as dependency.unavailable', async () => {
    const client = rpcClient(AccountService, 'http://127.0.0.1:1', 2_000);
    const error = await client.getAccount({ accountId: 'x' }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'dependency.unavailable' });
  });
});
