import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import type { Request } from 'express';
import { z } from 'zod';
import { allPermissions, type Permission } from '@crm/contracts';
import { createLogger, parseConfig } from '@crm/platform';
import { createGatewayApp } from '../../services/gateway/src/app';
import { createServiceClients, type ServiceClients } from '../../services/gateway/src/clients';
import { loadConfig, type GatewayConfig } from '../../services/gateway/src/config';
import { createPrincipalAccess, type PrincipalAccess } from '../../services/gateway/src/http/principal-access';
import type { Principal } from '../../services/gateway/src/http/route';
import type { AccessSettings } from '../../services/gateway/src/http/router';
import { attachPrincipal, sessionAuthenticator } from '../../services/gateway/src/http/session-auth';
import type { BoundedRun } from './run-bounded';

// Errors only, on stderr: stdout carries the figures.
const logger = createLogger({ service: 'authz-bench', level: 'error', destination: process.stderr });

/** The running product (npm start): the bench signs a user in through it, and its gateways call its identity service. */
const envSchema = z.object({
  GATEWAY_URL: z.url().default('http://127.0.0.1:8080'),
  OPERATOR_TOKEN: z.string().min(16),
  MAILPIT_URL: z.url().default('http://127.0.0.1:8025'),
});

export type BenchEnv = z.infer<typeof envSchema>;

/** The running product's addresses and operator token; a missing one stops the bench with a line naming it. */
export const readBenchEnv = (): BenchEnv =>
  parseConfig('authz-bench (start the product first: npm start, and export its OPERATOR_TOKEN)', envSchema);

export type CheckVariant = 'stubbed' | 'uncached' | 'cached';

/**
 * What the authorization benchmark runs on: a user of a fresh account on the running product, and gateway apps
 * built from the real route table in this process — one per way of checking the caller — each on its own port.
 */
export class AuthzRig {
  readonly gatewayConfig: GatewayConfig;
  readonly clients: ServiceClients;
  token = '';
  accountId = '';
  slug = '';

  constructor(
    private readonly run: BoundedRun,
    readonly env: BenchEnv,
  ) {
    this.gatewayConfig = loadConfig({ ...process.env, OPERATOR_TOKEN: env.OPERATOR_TOKEN });
    this.clients = createServiceClients(this.gatewayConfig);
  }

  private async call(method: string, path: string, options: { token?: string; body?: unknown } = {}) {
    const response = await fetch(new URL(path, this.env.GATEWAY_URL), {
      method,
      headers: {
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
    const text = await response.text();
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- answers are read field by field, as in e2e/
    return { status: response.status, body: (text ? JSON.parse(text) : undefined) as Record<string, any> };
  }

  /** Provisions an account on the running product, accepts the owner's invitation from Mailpit, signs in. */
  async signIn(): Promise<void> {
    const unique = randomUUID().slice(0, 8);
    const email = `authz-bench.${unique}@bench.test`;
    const created = await this.call('POST', '/operator/v1/accounts', {
      token: this.env.OPERATOR_TOKEN,
      body: {
        name: `Authz bench ${unique}`,
        timezone: 'UTC',
        owner: { firstName: 'Bench', lastName: 'Owner', email, phone: '+13125550100' },
        planId: 'starter',
        interval: 'month',
      },
    });
    if (created.status !== 201)
      throw new Error(`provisioning an account answered ${created.status}: ${JSON.stringify(created.body)}`);
    this.accountId = created.body.account.id as string;
    this.slug = created.body.account.slug as string;
    this.token = await this.join(email);
  }

  /** Accepts the invitation emailed to `email` and signs in; the session ends at clean-up. */
  private async join(email: string): Promise<string> {
    const password = `authz bench passphrase ${randomUUID().slice(0, 8)}`;
    const accepted = await this.call('POST', `/v1/invitations/${await this.invitationToken(email)}/accept`, {
      body: { password },
    });
    if (accepted.status !== 200) throw new Error(`accepting the invitation of ${email} answered ${accepted.status}`);
    const login = await this.call('POST', '/v1/auth/login', { body: { account: this.slug, email, password } });
    if (login.status !== 200) throw new Error(`signing in as ${email} answered ${login.status}`);
    const token = login.body.token as string;
    this.run.onCleanUp(`signing ${email} out`, () => this.call('POST', '/v1/auth/logout', { token }));
    return token;
  }

  /** A custom profile with `permissions`, and a member of the account who holds it, signed in. */
  async aMemberWithProfile(permissions: Permission[]): Promise<{ profileId: string; token: string }> {
    const profile = await this.call('POST', '/v1/permission-profiles', {
      token: this.token,
      body: { name: `Bench probe ${randomUUID().slice(0, 8)}`, permissions },
    });
    if (profile.status !== 201)
      throw new Error(`creating a profile answered ${profile.status}: ${JSON.stringify(profile.body)}`);
    const email = `authz-bench.member.${randomUUID().slice(0, 8)}@bench.test`;
    const invited = await this.call('POST', '/v1/staff', {
      token: this.token,
      body: {
        firstName: 'Bench',
        lastName: 'Member',
        email,
        phone: '+13125550101',
        profileId: profile.body.profile.id,
      },
    });
    if (invited.status !== 201)
      throw new Error(`inviting a member answered ${invited.status}: ${JSON.stringify(invited.body)}`);
    return { profileId: profile.body.profile.id as string, token: await this.join(email) };
  }

  /** Replaces a profile's permissions through the running gateway (so other instances learn it from Kafka only). */
  async setPermissions(profileId: string, permissions: Permission[]): Promise<void> {
    const changed = await this.call('PATCH', `/v1/permission-profiles/${profileId}`, {
      token: this.token,
      body: { permissions },
    });
    if (changed.status !== 200)
      throw new Error(`changing a profile answered ${changed.status}: ${JSON.stringify(changed.body)}`);
  }

  private async invitationToken(email: string): Promise<string> {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const search = new URL('/api/v1/search', this.env.MAILPIT_URL);
      search.searchParams.set('query', `to:"${email}"`);
      const { messages } = (await (await fetch(search)).json()) as { messages: { ID: string }[] };
      const id = messages[0]?.ID;
      if (id) {
        const message = (await (await fetch(new URL(`/api/v1/message/${id}`, this.env.MAILPIT_URL))).json()) as {
          Text: string;
        };
        const link = message.Text.match(/https?:\/\/\S+\/invite\/(\S+)/);
        if (link?.[1]) return link[1];
      }
      if (Date.now() > deadline)
        throw new Error(`no invitation email to ${email} within 30 s (is Mailpit at ${this.env.MAILPIT_URL}?)`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  /** The principal identity resolves for the token, for the stubbed variant to hand out without asking anyone. */
  async principal(): Promise<Principal> {
    const req = {
      get: (name: string) => (name.toLowerCase() === 'authorization' ? `Bearer ${this.token}` : undefined),
    } as unknown as Request;
    return sessionAuthenticator(this.clients)(req);
  }

  /**
   * A gateway app from the real route table whose caller check is:
   * - `stubbed`: a fixed principal holding every permission, no identity call (what the check would cost if free);
   * - `uncached`: identity's Authenticate on every request (GATEWAY_PRINCIPAL_CACHE_TTL_MS=0);
   * - `cached`: as deployed, the principal cache with its live invalidation feed.
   */
  async startGateway(variant: CheckVariant, cacheTtlMs: number): Promise<{ url: string; access?: PrincipalAccess }> {
    let access: PrincipalAccess | undefined;
    let settings: Pick<AccessSettings, 'authenticate' | 'accessChanged'>;
    if (variant === 'stubbed') {
      const fixed: Principal = { ...(await this.principal()), permissions: new Set<Permission>(allPermissions) };
      settings = {
        authenticate: async (req) => {
          attachPrincipal(req, fixed);
          return fixed;
        },
      };
    } else {
      access = createPrincipalAccess({
        clients: this.clients,
        logger,
        cacheTtlMs: variant === 'cached' ? cacheTtlMs : 0,
        cacheMaxEntries: 10_000,
        kafka: { brokers: this.gatewayConfig.KAFKA_BROKERS, topicPrefix: this.gatewayConfig.KAFKA_TOPIC_PREFIX },
      });
      this.run.onCleanUp(`the ${variant} gateway's invalidation feed`, () => access!.close());
      await access.feed?.waitUntilLive(30_000);
      settings = { authenticate: access.authenticate, accessChanged: access.accessChanged };
    }
    const app = createGatewayApp({
      clients: this.clients,
      operatorToken: this.gatewayConfig.OPERATOR_TOKEN,
      ...settings,
      publicUrl: 'http://127.0.0.1',
      logger,
      readinessChecks: [],
    });
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve, reject) => server.once('listening', resolve).once('error', reject));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    this.run.onCleanUp(`the ${variant} gateway`, () => new Promise((resolve) => server.close(resolve)));
    server.keepAliveTimeout = 60_000;
    return { url, access };
  }

  /** The status of one request to a gateway (the body is read and dropped). */
  async status(url: string, method: string, path: string, token: string): Promise<number> {
    const response = await fetch(new URL(path, url), { method, headers: { authorization: `Bearer ${token}` } });
    await response.arrayBuffer();
    return response.status;
  }
}
