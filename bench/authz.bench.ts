/**
 * Authorization benchmark (issue 5): what checking the caller costs a gateway route, measured against the same
 * route with the check stubbed, in one run.
 *
 *   1. requests/s of GET /v1/permissions (a route that calls no service) through a gateway app built from the real
 *      route table, whose caller check is
 *        - stubbed:   a fixed principal, no identity call — the baseline;
 *        - uncached:  identity's Authenticate on every request (GATEWAY_PRINCIPAL_CACHE_TTL_MS=0);
 *        - cached:    as deployed: the principal cache (1 s) kept honest by its Kafka invalidation feed.
 *      Variants alternate round by round; each figure is the median of its rounds. Ratio = variant ÷ stubbed.
 *   2. how long a permission removed (or granted) through the running gateway takes to count on the `cached`
 *      instance, which learns of it from identity.permissions.changed.v1 only.
 *
 * Needs the product running (npm start) and its OPERATOR_TOKEN exported. It provisions one account on it (kept, like
 * the e2e tests' accounts), signs its users out, and stops its gateways and their consumer groups however it ends.
 * Progress on stderr; a table then one JSON line on stdout. `npm run bench:authz -- --help`. See docs/benchmarks.md.
 */
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import type { Permission } from '@crm/contracts';
import type { PrincipalAccess } from '../services/gateway/src/http/principal-access';
import { AuthzRig, readBenchEnv, type BenchEnv, type CheckVariant } from './support/authz-rig';
import { runLoad, type LoadResult } from './support/http-load';
import { readBenchParams } from './support/params';
import { runBounded, type BoundedRun } from './support/run-bounded';
import { formatMs, formatRatio, renderTable, rounded, summarizeLatencies, type LatencySummary } from './support/stats';

const parameters = {
  'duration-s': { default: 5, help: 'seconds of load per variant and round' },
  rounds: { default: 3, help: 'rounds; in each, every variant is measured once (order rotates)' },
  connections: { default: 16, help: 'concurrent keep-alive connections of the load generator' },
  'ttl-ms': {
    default: 1000,
    help: 'principal cache time to live of the cached variant (GATEWAY_PRINCIPAL_CACHE_TTL_MS)',
  },
  changes: { default: 20, help: 'permission changes timed for figure 2' },
  'timeout-s': { default: 240, help: 'hard limit for the whole run, in seconds' },
} as const;
type ParameterName = keyof typeof parameters;
type Params = Record<ParameterName, number>;

const readParams = (): Params =>
  readBenchParams(parameters, 'Usage: npm run bench:authz -- [options]   (needs npm start and OPERATOR_TOKEN)');

const variants: readonly CheckVariant[] = ['stubbed', 'uncached', 'cached'];
const ROUTE = '/v1/permissions';

const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

/** Figure 1: every variant under the same closed-loop load, alternating, so drift on a busy machine hits each alike. */
async function measureThroughput(run: BoundedRun, rig: AuthzRig, params: Params, urls: Record<CheckVariant, string>) {
  const load = (variant: CheckVariant, durationMs: number) =>
    runLoad({
      url: `${urls[variant]}${ROUTE}`,
      method: 'GET',
      headers: { authorization: `Bearer ${rig.token}` },
      connections: params.connections,
      durationMs,
      expectStatus: 200,
    });
  run.step('warming up each variant (1 s each)');
  for (const variant of variants) await load(variant, 1_000);
  const results: Record<CheckVariant, LoadResult[]> = { stubbed: [], uncached: [], cached: [] };
  for (let round = 0; round < params.rounds; round++) {
    const order = variants.map((_, i) => variants[(i + round) % variants.length]!);
    for (const variant of order) {
      run.step(
        `round ${round + 1}/${params.rounds}: ${variant}, ${params['duration-s']} s × ${params.connections} connections`,
      );
      const result = await load(variant, params['duration-s'] * 1000);
      if (result.errors > 0)
        throw new Error(
          `${variant}: ${result.errors} of ${result.requests} requests failed, e.g. ${result.errorSamples.join(' | ')}`,
        );
      results[variant].push(result);
    }
  }
  return Object.fromEntries(
    variants.map((variant) => {
      const rounds = results[variant];
      return [
        variant,
        {
          perSecond: median(rounds.map((r) => r.perSecond)),
          rounds: rounds.map((r) => r.perSecond),
          latency: summarizeLatencies(rounds.flatMap((r) => r.latenciesMs)),
        },
      ];
    }),
  ) as Record<CheckVariant, { perSecond: number; rounds: number[]; latency: LatencySummary }>;
}

/**
 * Figure 2: a custom profile's permission is removed, then granted again, through the running gateway; each time,
 * how long until the cached instance (which only hears of it through Kafka) answers accordingly. Polled every 2 ms.
 */
async function measurePropagation(run: BoundedRun, rig: AuthzRig, params: Params, cachedUrl: string) {
  run.step('figure 2: a member with a custom profile, signed in');
  const base: Permission[] = ['contacts.view'];
  const withStaff: Permission[] = ['contacts.view', 'staff.view'];
  const member = await rig.aMemberWithProfile(withStaff);
  const statusThere = () => rig.status(cachedUrl, 'GET', '/v1/staff', member.token);
  const samples: number[] = [];
  run.step(`figure 2: ${params.changes} permission changes, each timed until the cached instance sees it`);
  for (let i = 0; i < params.changes; i++) {
    const granted = i % 2 === 1;
    const expected = granted ? 200 : 403;
    for (let warm = 0; warm < 3; warm++) await statusThere(); // the principal is in the cache
    await rig.setPermissions(member.profileId, granted ? withStaff : base);
    const changedAt = performance.now();
    while ((await statusThere()) !== expected) {
      if (performance.now() - changedAt > 10_000)
        throw new Error(`the cached instance did not see change ${i + 1} within 10 s`);
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    samples.push(performance.now() - changedAt);
  }
  return summarizeLatencies(samples);
}

async function measureAll(run: BoundedRun, params: Params, env: BenchEnv) {
  const rig = new AuthzRig(run, env);
  run.step(`setting up: an account on the running product (${rig.env.GATEWAY_URL}), its owner signed in`);
  await rig.signIn();
  run.step('starting three gateway apps from the real route table: stubbed, uncached, cached check');
  const urls = {} as Record<CheckVariant, string>;
  let cached: PrincipalAccess | undefined;
  for (const variant of variants) {
    const { url, access } = await rig.startGateway(variant, params['ttl-ms']);
    urls[variant] = url;
    if (variant === 'cached') cached = access;
  }
  const throughput = await measureThroughput(run, rig, params, urls);
  const cacheStats = cached ? { hits: cached.cache.stats.hits, misses: cached.cache.stats.misses } : undefined;
  const propagation = await measurePropagation(run, rig, params, urls.cached);
  return { throughput, propagation, cacheStats };
}

function printReport(params: Params, { throughput, propagation, cacheStats }: Awaited<ReturnType<typeof measureAll>>) {
  const baseline = throughput.stubbed.perSecond;
  const label: Record<CheckVariant, string> = {
    stubbed: 'check stubbed (baseline)',
    uncached: 'real check, identity asked every request',
    cached: `real check, principal cache ${params['ttl-ms']} ms (as deployed)`,
  };
  const rows = variants.map((variant) => [
    `1 ${label[variant]}`,
    `${Math.round(throughput[variant].perSecond).toLocaleString('en-US')} req/s`,
    formatMs(throughput[variant].latency.p50),
    formatMs(throughput[variant].latency.p99),
    formatRatio(throughput[variant].perSecond / baseline),
  ]);
  rows.push([
    '2 permission change → seen by another instance',
    `p50 ${formatMs(propagation.p50)}`,
    `p95 ${formatMs(propagation.p95)}`,
    `max ${formatMs(propagation.max)}`,
    '',
  ]);
  console.log(
    `\nauthz benchmark: GET ${ROUTE}, ${params.rounds} rounds × ${params['duration-s']} s × ${params.connections} connections per variant, ` +
      `${params.changes} permission changes; node ${process.version}, ${os.cpus().length} cpus\n`,
  );
  console.log(renderTable(['figure', 'throughput (median)', 'p50', 'p99', 'ratio ÷ stubbed'], rows));
  console.log(
    `\nwith the check ÷ with it stubbed: ${formatRatio(throughput.cached.perSecond / baseline)} as deployed, ` +
      `${formatRatio(throughput.uncached.perSecond / baseline)} without the principal cache` +
      (cacheStats ? ` (cache: ${cacheStats.hits} hits, ${cacheStats.misses} misses)` : '') +
      '\n',
  );
  const json = {
    bench: 'authz',
    at: new Date().toISOString(),
    node: process.version,
    cpus: os.cpus().length,
    params,
    route: ROUTE,
    throughput,
    propagation,
    cacheStats,
  };
  console.log(JSON.stringify(rounded(json)));
}

let params: Params;
let env: BenchEnv;
try {
  params = readParams();
  env = readBenchEnv();
} catch (error) {
  const message = error instanceof Error ? error.message : String(error);
  console.error(message.startsWith('authz-bench') ? message : `authz-bench: ${message} (see --help)`);
  process.exit(2);
}
void runBounded({ name: 'authz-bench', timeoutMs: params['timeout-s'] * 1000 }, async (run) => {
  const results = await measureAll(run, params, env);
  printReport(params, results);
});
