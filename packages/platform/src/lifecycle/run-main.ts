import { ConfigError } from '../config/parse-config';

/**
 * Runs a service's composition root. A configuration problem or a dependency that cannot be reached at
 * start stops the process with one clear line on stderr and exit code 1, not a stack trace.
 */
export function runMain(service: string, main: () => Promise<unknown>): void {
  main().catch((error: unknown) => {
    const line =
      error instanceof ConfigError
        ? error.message
        : `${service}: failed to start: ${error instanceof Error ? error.message : String(error)}`;
    process.stderr.write(`${line}\n`);
    process.exit(1);
  });
}
