/**
 * Messaging benchmark (issue 3): the outbox → relay → Kafka → consumer group → inbox path of @crm/platform on
 * the local stack, each figure beside a baseline measured in the same run.
 *
 *   1. relay drain rate of an outbox backlog   ÷ rate of writing those rows (one event per transaction)
 *   2. outbox → Kafka → inbox+effect events/s   ÷ bare kafkajs idempotent producer + consumer group, same topic shape
 *   3. latency from the commit of an event's transaction to the commit of its consumer effect (p50/p95/p99/max)
 *                                              ÷ bare kafkajs send → eachMessage latency at the same rate
 *
 * Run: `npm run bench` (needs the stack: eval "$(bash deploy/local/stack.sh env)"); `npm run bench -- --help`.
 * Prints progress on stderr, then a summary table and one JSON line on stdout. See docs/benchmarks.md.
 */
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import type { Message } from 'kafkajs';
import { encodeEvent, type EventEnvelope } from '@crm/contracts';
import { Arrivals, MessagingRig } from './support/messaging-rig';
import { readBenchParams } from './support/params';
import { runBounded, type BoundedRun } from './support/run-bounded';
import {
  formatMs,
  formatRate,
  formatRatio,
  perSecond,
  renderTable,
  rounded,
  summarizeLatencies,
  type LatencySummary,
} from './support/stats';

// ---------------------------------------------------------------------------------------------- parameters

const parameters = {
  events: { default: 5000, help: 'events per throughput measurement' },
  'batch-size': {
    default: 500,
    help: "relay batch size, and the raw producer's messages per request (500 = the relay's default)",
  },
  writers: { default: 4, help: 'concurrent writer transactions when filling the outbox' },
  partitions: { default: 3, help: 'partitions of each topic (3 = KAFKA_TOPIC_PARTITIONS default)' },
  'latency-events': { default: 500, help: 'events in each latency sample' },
  'latency-rate': { default: 100, help: 'events per second while sampling latency (open loop)' },
  'timeout-s': { default: 240, help: 'hard limit for the whole run, in seconds' },
} as const;
type ParameterName = keyof typeof parameters;
type Params = Record<ParameterName, number>;

const readParams = (): Params => readBenchParams(parameters, 'Usage: npm run bench -- [options]');

// ---------------------------------------------------------------------------------------------- measurements

interface Rate {
  events: number;
  ms: number;
  perSecond: number;
}

const rate = (events: number, ms: number): Rate => ({ events, ms, perSecond: perSecond(events, ms) });

async function timed(work: () => Promise<unknown>): Promise<number> {
  const startedAt = performance.now();
  await work();
  return performance.now() - startedAt;
}

function newEvents(rig: MessagingRig, count: number): EventEnvelope<unknown>[] {
  return Array.from({ length: count }, () => rig.accountCreated());
}

/** The Kafka record the relay would publish for an event (same key, value and event-id header). */
function asMessage(event: EventEnvelope<unknown>): Message {
  return {
    key: event.accountId,
    value: encodeEvent(event),
    headers: { 'event-id': event.id, 'event-type': event.type },
  };
}

/** Polls until `done` holds; the run's hard limit bounds it. */
async function until(done: () => Promise<boolean>, intervalMs = 5): Promise<void> {
  while (!(await done())) await new Promise((resolve) => setTimeout(resolve, intervalMs));
}

/** Figure 1: writing N outbox rows (baseline), then the relay draining them onto Kafka with nobody consuming. */
async function measureOutbox(run: BoundedRun, rig: MessagingRig, params: Params) {
  const events = newEvents(rig, params.events);
  run.step(`1a. writing ${params.events} outbox rows, one event per transaction, ${params.writers} writers`);
  const insert = rate(events.length, await timed(() => rig.commitEach(events, params.writers)));

  run.step(`1b. relay draining the backlog (batch ${params['batch-size']})`);
  const { prefix } = await rig.freshTopicPrefix('drain');
  const startedAt = performance.now();
  const relay = await rig.startRelay(prefix, params['batch-size']);
  await until(async () => (await rig.unpublishedCount()) === 0);
  const drain = rate(events.length, performance.now() - startedAt);
  await relay.stop(); // before the next phase writes rows it must not publish
  return { insert, drain };
}

/** Figures 2 and 3, baseline: a bare kafkajs consumer group on a fresh topic, fed by the idempotent producer. */
async function measureRawKafka(run: BoundedRun, rig: MessagingRig, params: Params) {
  const { prefix, topic } = await rig.freshTopicPrefix('raw');
  const messages = newEvents(rig, params.events).map(asMessage);
  const consumed = new Arrivals();
  const consumer = await rig.startRawConsumer(prefix, topic, consumed);

  run.step(
    `2a. raw kafkajs: producing ${messages.length} messages in batches of ${params['batch-size']} and consuming them`,
  );
  const startedAt = performance.now();
  await rig.sendInBatches(topic, messages, params['batch-size']);
  const producedAt = performance.now();
  const consumedAt = await consumed.waitFor(messages.length);
  const throughput = {
    produce: rate(messages.length, producedAt - startedAt),
    ...rate(messages.length, consumedAt - startedAt),
  };

  run.step(`3a. raw kafkajs latency: ${params['latency-events']} single sends at ${params['latency-rate']}/s`);
  const sample = newEvents(rig, params['latency-events']);
  const sentAt = new Map<string, number>();
  await atSteadyRate(sample, params['latency-rate'], async (event) => {
    sentAt.set(event.id, performance.now());
    await rig.producer.send({ topic, acks: -1, messages: [asMessage(event)] });
  });
  await consumed.waitFor(messages.length + sample.length);
  await consumer.stop();
  return { throughput, latency: latencies(sample, sentAt, consumed) };
}

/**
 * Figures 2 and 3, measured: the platform's own path. An outbox backlog of N events, the consumer group joined,
 * then the relay started: the time until the N-th effect has committed. Then, with relay and consumer idle,
 * single events committed at a steady rate: the time from each commit to its effect's commit.
 */
async function measurePlatformPath(run: BoundedRun, rig: MessagingRig, params: Params) {
  const { prefix } = await rig.freshTopicPrefix('e2e');
  const backlog = newEvents(rig, params.events);
  run.step(`2b. filling the outbox with ${backlog.length} events (not timed) and joining the consumer group`);
  await rig.commitEach(backlog, params.writers);
  const effects = new Arrivals();
  await rig.startEffectConsumer(prefix, effects);

  run.step(`2b. outbox → relay → Kafka → consumer group → inbox + effect, ${backlog.length} events`);
  const startedAt = performance.now();
  await rig.startRelay(prefix, params['batch-size']);
  const throughput = rate(backlog.length, (await effects.waitFor(backlog.length)) - startedAt);

  run.step(`3b. latency commit → effect committed: ${params['latency-events']} events at ${params['latency-rate']}/s`);
  const sample = newEvents(rig, params['latency-events']);
  const committedAt = new Map<string, number>();
  await atSteadyRate(sample, params['latency-rate'], async (event) => {
    await rig.commit(event);
    committedAt.set(event.id, performance.now());
  });
  await effects.waitFor(backlog.length + sample.length);
  return { throughput, latency: latencies(sample, committedAt, effects) };
}

/** Exactly once, as the platform promises: one inbox row and one effect per event, nothing left unpublished. */
async function checkExactlyOnce(run: BoundedRun, rig: MessagingRig, expected: number) {
  run.step('checking the effects: one per event, no duplicates');
  const [inbox, effects, distinct, unpublished] = await Promise.all([
    rig.count('inbox'),
    rig.count('effects'),
    rig.count('(SELECT DISTINCT event_id FROM effects) AS applied'),
    rig.unpublishedCount(),
  ]);
  if (inbox !== expected || effects !== expected || distinct !== expected || unpublished !== 0) {
    throw new Error(
      `expected ${expected} inbox rows and effects, got inbox ${inbox}, effects ${effects} (${distinct} distinct), ${unpublished} unpublished`,
    );
  }
}

/** Starts `act` for each item on a fixed schedule (open loop: a slow one does not delay the next), then waits for all. */
async function atSteadyRate<T>(
  items: readonly T[],
  perSecondRate: number,
  act: (item: T) => Promise<void>,
): Promise<void> {
  const startedAt = performance.now();
  const started: Promise<void>[] = [];
  for (const [index, item] of items.entries()) {
    const wait = startedAt + (index * 1000) / perSecondRate - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    started.push(act(item));
  }
  await Promise.all(started);
}

function latencies(
  sample: readonly EventEnvelope<unknown>[],
  startedAt: Map<string, number>,
  arrivals: Arrivals,
): LatencySummary {
  return summarizeLatencies(sample.map((event) => arrivals.at.get(event.id)! - startedAt.get(event.id)!));
}

// ---------------------------------------------------------------------------------------------- report

type Results = Awaited<ReturnType<typeof measureAll>>;

async function measureAll(run: BoundedRun, rig: MessagingRig, params: Params) {
  const outbox = await measureOutbox(run, rig, params);
  const raw = await measureRawKafka(run, rig, params);
  const platform = await measurePlatformPath(run, rig, params);
  await checkExactlyOnce(run, rig, params.events + params['latency-events']);
  return { outbox, raw, platform };
}

function printReport(params: Params, { outbox, raw, platform }: Results) {
  const percentiles = ['p50', 'p95', 'p99', 'max'] as const;
  const rows = [
    [
      '1 relay drain ÷ outbox insert',
      formatRate(outbox.drain.perSecond),
      formatRate(outbox.insert.perSecond),
      formatRatio(outbox.drain.perSecond / outbox.insert.perSecond),
    ],
    [
      '2 outbox→Kafka→inbox ÷ raw kafkajs',
      formatRate(platform.throughput.perSecond),
      formatRate(raw.throughput.perSecond),
      formatRatio(platform.throughput.perSecond / raw.throughput.perSecond),
    ],
    ...percentiles.map((p) => [
      `3 latency commit→effect, ${p}`,
      formatMs(platform.latency[p]),
      formatMs(raw.latency[p]),
      formatRatio(platform.latency[p] / raw.latency[p]),
    ]),
  ];
  console.log(
    `\nmessaging benchmark: ${params.events} events, batch ${params['batch-size']}, ${params.writers} writers, ${params.partitions} partitions, ` +
      `latency ${params['latency-events']} events at ${params['latency-rate']}/s; node ${process.version}, ${os.cpus().length} cpus\n`,
  );
  console.log(renderTable(['figure', 'measured', 'baseline (same run)', 'ratio'], rows));
  console.log(`(raw kafkajs produce alone: ${formatRate(raw.throughput.produce.perSecond)})\n`);
  const json = {
    bench: 'messaging',
    at: new Date().toISOString(),
    node: process.version,
    cpus: os.cpus().length,
    params,
    outbox,
    raw,
    platform,
  };
  console.log(JSON.stringify(rounded(json)));
}

// ---------------------------------------------------------------------------------------------- main

let params: Params;
try {
  params = readParams();
} catch (error) {
  console.error(`messaging-bench: ${error instanceof Error ? error.message : String(error)} (see --help)`);
  process.exit(2);
}
void runBounded({ name: 'messaging-bench', timeoutMs: params['timeout-s'] * 1000 }, async (run) => {
  const rig = new MessagingRig(run, params.partitions);
  run.step(`setting up: fresh database, topics under ${rig.topicPrefix}`);
  await rig.setUp();
  const results = await measureAll(run, rig, params);
  printReport(params, results);
});
