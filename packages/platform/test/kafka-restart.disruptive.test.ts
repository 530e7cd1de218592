import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { eventually } from '@crm/testing';
import { MessagingHarness } from './fixtures/messaging-harness';

const run = promisify(execFile);
const stackScript = path.resolve(__dirname, '../../../deploy/local/stack.sh');

jest.setTimeout(240_000);

describe('a Kafka broker restart in the middle of a stream', () => {
  const harness = new MessagingHarness();
  beforeAll(() => harness.setUp());
  afterAll(async () => {
    await run('bash', [stackScript, 'up', 'kafka']); // whatever happened, leave the broker running
    await harness.tearDown();
  });

  it('loses no committed event and applies each exactly once', async () => {
    await harness.relay();
    await harness.consume();
    const events = Array.from({ length: 300 }, () => harness.accountCreated());

    const committing = (async () => {
      for (const event of events) {
        await harness.commit(event);
        await new Promise((resolve) => setTimeout(resolve, 15));
      }
    })();
    await eventually(async () => ((await harness.effectsCount()) >= 50 ? true : undefined), 60_000);
    await run('bash', [stackScript, 'down', 'kafka']);
    await new Promise((resolve) => setTimeout(resolve, 2_000)); // events keep being committed while Kafka is down
    await run('bash', [stackScript, 'up', 'kafka']);
    await committing;

    await eventually(async () => ((await harness.effectsCount()) >= events.length ? true : undefined), 180_000, 500);
    const perEvent = await harness.effectsPerEvent();
    expect(perEvent.size).toBe(events.length);
    expect([...perEvent.values()].every((count) => count === 1)).toBe(true);
    expect(events.every((event) => perEvent.has(event.id))).toBe(true);
  });
});
