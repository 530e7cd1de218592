import { Worker } from 'node:worker_threads';

/** One closed-loop HTTP measurement: `connections` keep-alive loops sending the same request for `durationMs`. */
export interface LoadSettings {
  url: string;
  method: string;
  headers: Record<string, string>;
  body?: string;
  connections: number;
  durationMs: number;
  /** Every answer must have this status; any other counts as an error. */
  expectStatus: number;
}

export interface LoadResult {
  requests: number;
  errors: number;
  /** The first unexpected answers, for the report. */
  errorSamples: string[];
  elapsedMs: number;
  perSecond: number;
  /** Latency of each request in ms (not sorted). */
  latenciesMs: number[];
}

// Plain JavaScript, evaluated in a worker thread: the load generator gets its own event loop (and CPU), so its cost
// is not charged to the gateway it measures. node:http with a keep-alive agent, one socket per loop.
const workerSource = `
const http = require('node:http');
const { parentPort, workerData: s } = require('node:worker_threads');
const { performance } = require('node:perf_hooks');
const target = new URL(s.url);
const agent = new http.Agent({ keepAlive: true, maxSockets: s.connections });
const latencies = [];
const errorSamples = [];
let requests = 0, errors = 0;
const once = () => new Promise((resolve) => {
  const startedAt = performance.now();
  const req = http.request({ host: target.hostname, port: target.port, path: target.pathname + target.search,
    method: s.method, headers: s.headers, agent }, (res) => {
    const chunks = [];
    res.on('data', (c) => chunks.push(c));
    res.on('end', () => {
      requests++;
      latencies.push(performance.now() - startedAt);
      if (res.statusCode !== s.expectStatus) {
        errors++;
        if (errorSamples.length < 3) errorSamples.push(res.statusCode + ' ' + Buffer.concat(chunks).toString().slice(0, 200));
      }
      resolve();
    });
  });
  req.on('error', (e) => { requests++; errors++; if (errorSamples.length < 3) errorSamples.push(String(e)); resolve(); });
  if (s.body) req.end(s.body); else req.end();
});
(async () => {
  const startedAt = performance.now();
  const deadline = startedAt + s.durationMs;
  await Promise.all(Array.from({ length: s.connections }, async () => { while (performance.now() < deadline) await once(); }));
  const elapsedMs = performance.now() - startedAt;
  agent.destroy();
  parentPort.postMessage({ requests, errors, errorSamples, elapsedMs, perSecond: requests * 1000 / elapsedMs, latenciesMs: latencies });
})();
`;

/** Runs one measurement in a worker thread and resolves with its figures; the worker is gone when it resolves. */
export function runLoad(settings: LoadSettings): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(workerSource, { eval: true, workerData: settings });
    let result: LoadResult | undefined;
    worker.once('message', (message: LoadResult) => (result = message));
    worker.once('error', reject);
    worker.once('exit', (code) =>
      result ? resolve(result) : reject(new Error(`the load generator exited with code ${code} before reporting`)),
    );
  });
}
