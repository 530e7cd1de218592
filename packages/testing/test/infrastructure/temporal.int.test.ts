import { randomUUID } from 'node:crypto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Runtime, Worker, DefaultLogger } from '@temporalio/worker';
import { stackEnv } from '@crm/testing';
import * as activities from './fixtures/infrastructure.activities';
import { greetingWorkflow, thirtyDaySleepWorkflow } from './fixtures/infrastructure.workflows';

const workflowsPath = require.resolve('./fixtures/infrastructure.workflows');
const DAY_MS = 24 * 60 * 60 * 1000;

beforeAll(() => {
  Runtime.install({ logger: new DefaultLogger('WARN') });
});

describe('Temporal dev server on the local stack', () => {
  let env: TestWorkflowEnvironment;
  beforeAll(async () => {
    env = await TestWorkflowEnvironment.createFromExistingServer({ address: stackEnv().TEMPORAL_ADDRESS });
  });
  afterAll(() => env?.teardown());

  it('completes a workflow that runs an activity on a worker', async () => {
    const taskQueue = `infra-check-${randomUUID()}`;
    const worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowsPath, activities });
    const greeting = await worker.runUntil(
      env.client.workflow.execute(greetingWorkflow, {
        taskQueue,
        workflowId: `infra-check-${randomUUID()}`,
        args: ['Ada'],
      }),
    );
    expect(greeting).toBe('Hello, Ada');
  });
});

describe('Temporal time-skipping test server', () => {
  let env: TestWorkflowEnvironment;
  beforeAll(async () => {
    env = await TestWorkflowEnvironment.createTimeSkipping({
      server: { executable: { type: 'existing-path', path: stackEnv().TEMPORAL_TEST_SERVER_PATH } },
    });
  });
  afterAll(() => env?.teardown());

  it('finishes a workflow that sleeps 30 days within the test timeout', async () => {
    const taskQueue = `infra-check-${randomUUID()}`;
    const worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowsPath, activities });
    const { startedAt, wokeAt } = await worker.runUntil(
      env.client.workflow.execute(thirtyDaySleepWorkflow, { taskQueue, workflowId: `infra-check-${randomUUID()}` }),
    );
    expect(wokeAt - startedAt).toBeGreaterThanOrEqual(30 * DAY_MS);
  }, 20_000);
});
