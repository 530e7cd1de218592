import { performance } from 'node:perf_hooks';

/** What a bounded benchmark gets: progress steps, and clean-up that runs however the run ends. */
export interface BoundedRun {
  /** Names the step under way: printed on stderr, and named again if the time limit strikes during it. */
  step(name: string): void;
  /** Registers clean-up; everything registered runs at the end, newest first, whatever happened. */
  onCleanUp(what: string, cleanUp: () => Promise<unknown>): void;
}

export interface BoundedRunSettings {
  name: string;
  /** The hard limit for the whole run, clean-up excluded. */
  timeoutMs: number;
  /** The limit for clean-up; what it did not reach is named on stderr. */
  cleanUpTimeoutMs?: number;
}

/**
 * Runs `work` against a hard time limit (and Ctrl-C), then its clean-up (itself bounded), then exits:
 * 0 when `work` finished, 1 when it failed or ran out of time. Exiting explicitly matters: work abandoned by
 * the time limit may still hold sockets and timers that would otherwise keep the process alive.
 */
export async function runBounded(
  settings: BoundedRunSettings,
  work: (run: BoundedRun) => Promise<void>,
): Promise<never> {
  const startedAt = performance.now();
  const cleanUps: { what: string; cleanUp: () => Promise<unknown> }[] = [];
  let current = 'start';
  const log = (message: string) =>
    console.error(`[${settings.name} +${((performance.now() - startedAt) / 1000).toFixed(1)}s] ${message}`);

  const run: BoundedRun = {
    step(name) {
      current = name;
      log(name);
    },
    onCleanUp(what, cleanUp) {
      cleanUps.push({ what, cleanUp });
    },
  };

  let exitCode = 0;
  try {
    await Promise.race([work(run), stopSignal(settings, () => current)]);
  } catch (error) {
    exitCode = 1;
    const detail =
      error instanceof StopSignal || !(error instanceof Error) ? String(error) : (error.stack ?? error.message);
    console.error(`${settings.name} FAILED: ${detail}`);
  }
  run.step('cleaning up');
  await cleanUp(cleanUps, settings.cleanUpTimeoutMs ?? 30_000, log);
  log(exitCode === 0 ? 'done' : 'failed');
  process.exit(exitCode);
}

/** The time limit or a signal: its message says all there is, no stack needed. */
class StopSignal extends Error {
  override name = 'StopSignal';
  override toString() {
    return this.message;
  }
}

/** Rejects when the time limit is reached or the process is asked to stop, naming the step under way. */
function stopSignal(settings: BoundedRunSettings, step: () => string): Promise<never> {
  return new Promise((_resolve, reject) => {
    const seconds = Math.round(settings.timeoutMs / 1000);
    setTimeout(
      () =>
        reject(
          new StopSignal(`gave up after the hard limit of ${seconds} s (raise it with --timeout-s) during "${step()}"`),
        ),
      settings.timeoutMs,
    ).unref();
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.once(signal, () => reject(new StopSignal(`interrupted by ${signal} during "${step()}"`)));
    }
  });
}

async function cleanUp(
  cleanUps: { what: string; cleanUp: () => Promise<unknown> }[],
  timeoutMs: number,
  log: (message: string) => void,
) {
  const pending = [...cleanUps].reverse();
  const all = (async () => {
    while (pending.length > 0) {
      const { what, cleanUp } = pending[0]!;
      await cleanUp().catch((error: unknown) =>
        log(`clean-up "${what}" failed: ${error instanceof Error ? error.message : String(error)}`),
      );
      pending.shift();
    }
  })();
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)));
  if ((await Promise.race([all, limit])) === 'timeout') {
    log(
      `clean-up did not finish within ${timeoutMs / 1000} s; left behind: ${pending.map(({ what }) => what).join(', ')}`,
    );
  }
  clearTimeout(timer);
}
