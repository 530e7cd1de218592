import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { BillingService, actorToProto, type EventActor } from '@crm/contracts';
import { createLogger } from '@crm/platform';
import { rpcClient } from '@crm/platform/rpc';
import { startService } from '@crm/platform/service';
import { createTestDatabase, eventually, stackEnv, uniqueTopicPrefix, type TestDatabase } from '@crm/testing';
import { subscriptionWorkflowId } from '@crm/workflows/messages';
import { registerAccount } from '../../src/app/register-account';
import { loadConfig } from '../../src/config';
import type { BillingDeps } from '../../src/deps';
import { createBillingService } from '../../src/service';

export const GOOD_CARD = '4242424242424242';
export const DECLINING_CARD = '4000000000000341';
export const TEST_PUBLISHABLE_KEY = 'pk_test_local_emulator';
export const TEST_WEBHOOK_SECRET = 'whsec_billing_integration_tests';

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });

/**
 * A private billing service on the real local stack: its own database, Kafka topics (prefix), consumer group and
 * Temporal task queue, the real localstripe. Only the service's name differs from production.
 */
export async function startBillingHarness(extraEnv: Record<string, string> = {}) {
  const env = stackEnv();
  const database: TestDatabase = await createTestDatabase('billing_it');
  const name = `billing-it-${randomUUID().slice(0, 8)}`;
  const config = loadConfig({
    DATABASE_URL: database.url,
    KAFKA_BROKERS: env.KAFKA_BROKERS.join(','),
    KAFKA_TOPIC_PREFIX: uniqueTopicPrefix(),
    TEMPORAL_ADDRESS: env.TEMPORAL_ADDRESS,
    STRIPE_API_BASE: env.STRIPE_API_BASE,
    BILLING_STRIPE_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
    BILLING_STRIPE_PUBLISHABLE_KEY: TEST_PUBLISHABLE_KEY,
    BILLING_HTTP_PORT: String(await freePort()),
    LOG_LEVEL: 'warn',
    OTEL_TRACES_EXPORTER: 'none',
    ...extraEnv,
  });
  const logger = createLogger({ service: name, level: 'warn' });
  const running = await startService(createBillingService(config.billing, name), config, logger);
  const deps: BillingDeps = running.deps;
  const client = rpcClient(BillingService, running.url, 60_000);

  const accounts: string[] = [];

  async function close() {
    // The private task queue dies with the harness: end its subscription workflows rather than leave them waiting.
    await Promise.allSettled(
      accounts.map((id) => deps.temporal.workflow.getHandle(subscriptionWorkflowId(id)).terminate('test over')),
    );
    for (const closer of [...running.closers].reverse()) await Promise.resolve(closer.close()).catch(() => undefined);
    await database.drop();
  }

  /** What billing does when account.account.created.v1 arrives (the consumer's effect), for a new account. */
  async function registerNewAccount(
    options: { planId?: string; interval?: 'month' | 'year'; trialDays?: number; name?: string } = {},
  ) {
    const accountId = randomUUID();
    accounts.push(accountId);
    await deps.db.transaction((tx) =>
      registerAccount(tx, deps, {
        accountId,
        name: options.name ?? 'Acme Dental LLC',
        planId: options.planId ?? 'starter',
        interval: options.interval ?? 'month',
        trialDays: options.trialDays ?? 14,
        billingEmail: `owner+${accountId.slice(0, 8)}@acme.test`,
      }),
    );
    await eventually(() =>
      deps.temporal.workflow
        .getHandle(subscriptionWorkflowId(accountId))
        .describe()
        .then(() => true)
        .catch(() => undefined),
    );
    return accountId;
  }

  /** A card collected as a browser does: SetupIntent from billing, confirmed on the emulator with the publishable key. */
  async function confirmCard(accountId: string, number: string): Promise<string> {
    const intent = await client.createSetupIntent({ accountId, actor: actorToProto(owner) });
    const form = new URLSearchParams({
      key: intent.publishableKey,
      client_secret: intent.clientSecret,
      'payment_method_data[type]': 'card',
      'payment_method_data[card][number]': number,
      'payment_method_data[card][exp_month]': '12',
      'payment_method_data[card][exp_year]': String(new Date().getUTCFullYear() + 3),
      'payment_method_data[card][cvc]': '123',
    });
    const response = await fetch(`${env.STRIPE_API_BASE}/v1/setup_intents/${intent.setupIntentId}/confirm`, {
      method: 'POST',
      body: form,
    });
    const confirmed = (await response.json()) as { status?: string; payment_method?: string };
    if (!response.ok || !confirmed.payment_method)
      throw new Error(`SetupIntent confirmation failed: ${response.status} ${JSON.stringify(confirmed)}`);
    return confirmed.payment_method;
  }

  async function addCard(accountId: string, number = GOOD_CARD) {
    const paymentMethodId = await confirmCard(accountId, number);
    return client.setPaymentMethod({ accountId, actor: actorToProto(owner), paymentMethodId });
  }

  /** Events this service wrote for the account (its outbox), oldest first. */
  async function eventsOf(accountId: string, type?: string) {
    const { rows } = await deps.db.query<{
      event_type: string;
      envelope: { payload: Record<string, unknown>; actor: EventActor };
    }>(
      `SELECT event_type, envelope FROM outbox WHERE message_key = $1 ${type ? 'AND event_type = $2' : ''} ORDER BY position`,
      type ? [accountId, type] : [accountId],
    );
    return rows.map((row) => ({ type: row.event_type, payload: row.envelope.payload, actor: row.envelope.actor }));
  }

  return { deps, client, database, config, close, registerNewAccount, confirmCard, addCard, eventsOf };
}

export type BillingHarness = Awaited<ReturnType<typeof startBillingHarness>>;

export const owner: EventActor = { kind: 'user', id: '7b7f3c1e-6c8a-4d0b-9a55-3c2b1f0e9d11' };
export const ownerActor = () => actorToProto(owner);
