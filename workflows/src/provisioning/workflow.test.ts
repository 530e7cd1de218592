import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { ApplicationFailure } from '@temporalio/common';
import { bundleWorkflowCode, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { createTimeSkippingEnv } from '@crm/testing';
import { accountProvisioningWorkflow } from './workflow';
import { provisioningStatusQuery, provisioningWorkflowId } from './messages';

const quietBundlerLogger = { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} };

describe('accountProvisioningWorkflow', () => {
  let env: TestWorkflowEnvironment;
  let workflowBundle: WorkflowBundleWithSourceMap;
  beforeAll(async () => {
    env = await createTimeSkippingEnv();
    // Bundled once for the file: the bundle holds every workflow and takes seconds to build.
    workflowBundle = await bundleWorkflowCode({ workflowsPath: require.resolve('../index'), logger: quietBundlerLogger });
  }, 60_000);
  afterAll(() => env?.teardown());

  /** Runs one worker per service task queue, as production does, with the given activity fakes. */
  async function runWithServices<T>(
    activities: { identity: object; billing: object; account: object },
    body: () => Promise<T>,
  ): Promise<T> {
    const make = (taskQueue: keyof typeof activities) =>
      Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle, activities: activities[taskQueue] });
    const [identity, billing, account] = await Promise.all([make('identity'), make('billing'), make('account')]);
    return identity.runUntil(billing.runUntil(account.runUntil(body)));
  }

  it('activates the account only after identity and billing have both recorded it', async () => {
    const accountId = randomUUID();
    const calls: string[] = [];
    let identityAttempts = 0;
    const result = await runWithServices(
      {
        identity: {
          confirmIdentityRegistration: async () => {
            identityAttempts += 1;
            if (identityAttempts < 3) throw ApplicationFailure.retryable('account not recorded yet');
            calls.push('identity');
          },
        },
        billing: { confirmBillingRegistration: async () => void calls.push('billing') },
        account: { activateAccount: async (input: { accountId: string }) => void calls.push(`activate ${input.accountId}`) },
      },
      () =>
        env.client.workflow.execute(accountProvisioningWorkflow, {
          taskQueue: 'account',
          workflowId: provisioningWorkflowId(accountId),
          args: [{ accountId }],
        }),
    );

    expect(identityAttempts).toBe(3);
    expect(calls.at(-1)).toBe(`activate ${accountId}`);
    expect(calls.slice(0, 2).sort()).toEqual(['billing', 'identity']);
    expect(result).toEqual({ accountId, phase: 'active', identityReady: true, billingReady: true });
  });

  it('answers its status query while it waits for a service', async () => {
    const accountId = randomUUID();
    const status = await runWithServices(
      {
        identity: {
          confirmIdentityRegistration: async () => {
            throw ApplicationFailure.retryable('account not recorded yet');
          },
        },
        billing: { confirmBillingRegistration: async () => undefined },
        account: { activateAccount: async () => undefined },
      },
      async () => {
        const handle = await env.client.workflow.start(accountProvisioningWorkflow, {
          taskQueue: 'account',
          workflowId: provisioningWorkflowId(accountId),
          args: [{ accountId }],
        });
        let seen = await handle.query(provisioningStatusQuery);
        for (let i = 0; i < 50 && !seen.billingReady; i++) {
          await env.sleep('1 second');
          seen = await handle.query(provisioningStatusQuery);
        }
        await handle.terminate('test over');
        return seen;
      },
    );
    expect(status).toEqual({ accountId, phase: 'waiting_for_services', identityReady: false, billingReady: true });
  });
});
