import { execFile } from 'node:child_process';

export interface ProcessOutcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Starts a service's main.ts the way scripts/services.sh does, with exactly `env` (plus PATH and HOME),
 * and waits for it to exit: for tests of what a misconfigured service says before it stops.
 */
export function runServiceMain(mainPath: string, env: Record<string, string>, timeoutMs = 30_000): Promise<ProcessOutcome> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', mainPath],
      { env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env }, timeout: timeoutMs },
      (error, stdout, stderr) => {
        const code = error && typeof error.code === 'number' ? error.code : error ? null : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}
