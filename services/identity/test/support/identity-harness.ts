import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { accountEvents, newEnvelope } from '@crm/contracts';
import { createLogger, type Logger } from '@crm/platform';
import { createMailer, type Mailer, type MailRequest } from '@crm/platform/mailer';
import { appendToOutbox } from '@crm/platform/messaging';
import { startService, type RunningService, type ServiceDefinition } from '@crm/platform/service';
import { createTestDatabase, eventually, stackEnv, uniqueTopicPrefix, type TestDatabase } from '@crm/testing';
import { loadConfig, type IdentitySettings } from '../../src/config';
import type { IdentityDeps } from '../../src/deps';
import { identityService } from '../../src/service';

/** A mutable clock: use cases read it through `deps.now`. */
export class TestClock {
  private offsetMs = 0;
  now = () => new Date(Date.now() + this.offsetMs);
  advance(ms: number) {
    this.offsetMs += ms;
  }
}

/** Every email the service asked to send (after rendering succeeded and SMTP accepted it), in order. */
export interface SentMail {
  request: MailRequest;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/**
 * A private identity service on the real local stack: its own database, Kafka topic prefix and Temporal task
 * queue (so it never competes with the identity service that `npm start` runs), real SMTP to Mailpit through a
 * mailer that records what it sent. `stop()` and `start()` again keep the database, topics and queue: a restart.
 */
export class IdentityHarness {
  readonly name = `identity-it-${randomUUID().slice(0, 8)}`;
  readonly clock = new TestClock();
  readonly sent: SentMail[] = [];
  readonly logger: Logger = createLogger({ service: 'identity-int-test', level: 'silent' });
  settings!: IdentitySettings;
  testDb!: TestDatabase;
  running?: RunningService<IdentityDeps>;
  private mailer?: Mailer;

  constructor(private readonly env: Record<string, string> = {}) {}

  async setUp() {
    this.testDb = await createTestDatabase('identity');
    const stack = stackEnv();
    this.settings = loadConfig({
      DATABASE_URL: this.testDb.url,
      KAFKA_BROKERS: stack.KAFKA_BROKERS.join(','),
      KAFKA_TOPIC_PREFIX: uniqueTopicPrefix(),
      KAFKA_TOPIC_PARTITIONS: '1',
      TEMPORAL_ADDRESS: stack.TEMPORAL_ADDRESS,
      SMTP_URL: stack.SMTP_URL,
      IDENTITY_HTTP_PORT: String(await freePort()),
      LOG_LEVEL: 'silent',
      ...this.env,
    });
    this.mailer = createMailer({
      smtpUrl: this.settings.identity.mail.smtpUrl,
      from: this.settings.identity.mail.from,
      logger: this.logger,
    });
  }

  /** Starts (or restarts) the service; `wrap` may alter the definition (e.g. to inject a fault into an activity). */
  async start(wrap: (definition: ServiceDefinition<IdentityDeps>) => ServiceDefinition<IdentityDeps> = (d) => d) {
    const recording = (): Mailer => ({
      send: async (request) => {
        const result = await this.mailer!.send(request);
        this.sent.push({ request });
        return result;
      },
      verify: () => this.mailer!.verify(),
      close: () => undefined,
    });
    const definition = identityService(this.settings.identity, {
      name: this.name,
      mailer: recording,
      now: this.clock.now,
    });
    this.running = await startService(wrap(definition), this.settings, this.logger);
    return this.running;
  }

  get deps(): IdentityDeps {
    if (!this.running) throw new Error('the identity harness is not running');
    return this.running.deps;
  }

  async stop() {
    const closers = this.running?.closers ?? [];
    this.running = undefined;
    for (const closer of [...closers].reverse()) await closer.close();
  }

  async tearDown() {
    await this.stop().catch(() => undefined);
    this.mailer?.close();
    await this.testDb?.drop();
  }

  /** What the account service would announce: a new account with its owner's ids. */
  async provisionAccount(overrides: { ownerEmail?: string } = {}) {
    const accountId = randomUUID();
    const ownerUserId = randomUUID();
    const ownerInvitationId = randomUUID();
    const ownerEmail = overrides.ownerEmail ?? `owner+${accountId.slice(0, 8)}@identity-it.test`;
    const slug = `acme-${accountId.slice(0, 8)}`;
    await this.deps.db.transaction((tx) =>
      appendToOutbox(
        tx,
        newEnvelope(accountEvents.created, {
          accountId,
          actor: { kind: 'operator', id: 'support-1' },
          payload: {
            accountId,
            name: `Acme ${accountId.slice(0, 4)}`,
            slug,
            timezone: 'America/Chicago',
            owner: { firstName: 'Ada', lastName: 'Owner', email: ownerEmail, phone: '+13125550100' },
            planId: 'starter',
            interval: 'BILLING_INTERVAL_MONTH',
            trialDays: 14,
            createdAt: new Date().toISOString(),
            ownerUserId,
            ownerInvitationId,
          },
        }),
      ),
    );
    return { accountId, slug, ownerUserId, ownerInvitationId, ownerEmail };
  }

  /** The accept link of the latest invitation email (or reminder) sent to `to`, once it has been sent. */
  async inviteTokenFor(to: string, count = 1, timeoutMs = 20_000): Promise<string> {
    const mails = await eventually(async () => {
      const found = this.sent.filter(({ request }) => request.to === to && request.template.startsWith('invitation'));
      return found.length >= count ? found : undefined;
    }, timeoutMs);
    const last = mails.at(-1)?.request;
    const url = last && 'acceptUrl' in last.data ? last.data.acceptUrl : '';
    const token = url.split('/invite/')[1];
    if (!token) throw new Error(`no invitation link in the email to ${to}`);
    return token;
  }

  sentTo(to: string) {
    return this.sent
      .filter(({ request }) => request.to === to)
      .map(({ request }) => ({ template: request.template, key: request.idempotencyKey }));
  }

  async count(sql: string, params: unknown[]): Promise<number> {
    const { rows } = await this.deps.db.query<{ count: number }>(sql, params);
    return Number(rows[0]?.count ?? 0);
  }
}

export const origin = { ip: '203.0.113.7', userAgent: 'identity-int-test' };
