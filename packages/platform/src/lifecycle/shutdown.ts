import type { Logger } from '../logger/logger';

export type Closer = { name: string; close: () => Promise<unknown> | unknown };

/**
 * Closes everything in reverse order of start on SIGINT/SIGTERM, once, then exits.
 * A second signal, or a close that takes longer than `graceMs`, exits at once with code 1.
 */
export function closeOnSignals(logger: Logger, closers: Closer[], graceMs = 10_000): void {
  let closing = false;
  const shutdown = async (signal: NodeJS.Signals) => {
    if (closing) {
      logger.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    closing = true;
    logger.info({ signal }, 'shutting down');
    const timer = setTimeout(() => {
      logger.error({ graceMs }, 'shutdown took too long: exiting');
      process.exit(1);
    }, graceMs);
    timer.unref();
    for (const closer of [...closers].reverse()) {
      try {
        await closer.close();
        logger.debug({ closer: closer.name }, 'closed');
      } catch (error) {
        logger.error({ err: error, closer: closer.name }, 'close failed');
      }
    }
    logger.info('stopped');
    process.exit(0);
  };
  process.once('SIGINT', (signal) => void shutdown(signal));
  process.once('SIGTERM', (signal) => void shutdown(signal));
}
