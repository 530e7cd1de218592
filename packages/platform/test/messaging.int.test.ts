import { encodeEvent } from '@crm/contracts';
import { appendToOutbox } from '@crm/platform/messaging';
import { eventually } from '@crm/testing';
import { MessagingHarness } from './fixtures/messaging-harness';

jest.setTimeout(60_000);

describe('transactional outbox and idempotent inbox over the real Kafka', () => {
  let harness: MessagingHarness;
  beforeEach(async () => {
    harness = new MessagingHarness();
    await harness.setUp();
  });
  afterEach(() => harness.tearDown());

  it('never publishes an event whose transaction rolled back', async () => {
    const rolledBack = harness.accountCreated();
    const committed = harness.accountCreated();
    await expect(
      harness.db.transaction(async (tx) => {
        await appendToOutbox(tx, rolledBack);
        throw new Error('use case failed after writing its event');
      }),
    ).rejects.toThrow('use case failed');
    await harness.commit(committed);

    const relay = await harness.relay({ pollIntervalMs: 60_000 });
    await eventually(async () => ((await harness.unpublishedCount()) === 0 ? true : undefined));
    await relay.stop();

    const published = await harness.readRaw(harness.topic, 1);
    expect(published.map((message) => message.headers['event-id'])).toEqual([committed.id]);
    const { rows } = await harness.db.query('SELECT event_id FROM outbox');
    expect(rows).toEqual([{ event_id: committed.id }]);
  });

  it('applies a committed event exactly once when Kafka delivers it twice', async () => {
    const event = harness.accountCreated();
    const later = harness.accountCreated(event.accountId); // same key: same partition, consumed after the duplicate
    await harness.commit(event);
    const relay = await harness.relay();
    await eventually(async () => ((await harness.unpublishedCount()) === 0 ? true : undefined));
    await harness.producer.send({
      topic: harness.topic,
      acks: -1,
      messages: [{ key: event.accountId, value: encodeEvent(event), headers: { 'event-id': event.id } }],
    });
    await harness.commit(later);
    await harness.consume();

    await eventually(async () => ((await harness.effectsFor(later.id)) === 1 ? true : undefined));
    expect(await harness.readRaw(harness.topic, 3)).toHaveLength(3);
    expect(await harness.effectsFor(event.id)).toBe(1);
    await relay.stop();
  });

  it('applies an event once when the relay dies between publishing and marking it', async () => {
    const event = harness.accountCreated();
    await harness.commit(event);
    const dying = await harness.relay({
      pollIntervalMs: 60_000,
      afterPublishForTest: async () => {
        throw new Error('relay killed after publish, before mark');
      },
    });
    await expect(dying.drainOnce()).rejects.toThrow('relay killed');
    await dying.stop();
    expect(await harness.unpublishedCount()).toBe(1);

    await harness.relay(); // the restarted relay publishes the row again
    await eventually(async () => ((await harness.unpublishedCount()) === 0 ? true : undefined));
    const copies = await harness.readRaw(harness.topic, 2);
    expect(copies.map((message) => message.headers['event-id'])).toEqual([event.id, event.id]);

    await harness.consume();
    await eventually(async () => ((await harness.effectsFor(event.id)) >= 1 ? true : undefined));
    await new Promise((resolve) => setTimeout(resolve, 500)); // give the second copy time to be (not) applied
    expect(await harness.effectsFor(event.id)).toBe(1);
  });

  it('sends a poison message to the dead-letter topic and keeps consuming its partition', async () => {
    const good = harness.accountCreated();
    await harness.producer.send({
      topic: harness.topic,
      acks: -1,
      messages: [{ key: good.accountId, value: Buffer.from('{"this is": not an event') }],
    });
    await harness.commit(good);
    await harness.relay();
    await harness.consume();

    await eventually(async () => ((await harness.effectsFor(good.id)) === 1 ? true : undefined));
    const [deadLetter] = await harness.readRaw(harness.deadLetterTopic, 1);
    expect(deadLetter?.value.toString()).toBe('{"this is": not an event');
    expect(deadLetter?.headers['dlq-reason']).toMatch(/^undecodable: /);
    expect(deadLetter?.key).toBe(good.accountId);
  });

  it('dead-letters an event whose handler keeps failing, and applies the next one', async () => {
    const doomed = harness.accountCreated();
    const next = harness.accountCreated(doomed.accountId.replace(/.$/, 'x'));
    await harness.commit(doomed, next);
    await harness.relay();
    await harness.consume({ failFor: (accountId) => accountId === doomed.accountId });

    await eventually(async () => ((await harness.effectsFor(next.id)) === 1 ? true : undefined));
    const [deadLetter] = await harness.readRaw(harness.deadLetterTopic, 1);
    expect(deadLetter?.headers['dlq-reason']).toMatch(/handler failed 2 times: refusing account/);
    expect(deadLetter?.headers['dlq-consumer']).toBe('messaging-test.record-effect');
    expect(await harness.effectsFor(doomed.id)).toBe(0);
  });
});
