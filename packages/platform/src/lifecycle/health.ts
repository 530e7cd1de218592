import type { IncomingMessage, ServerResponse } from 'node:http';

export type ReadinessCheck = { name: string; check: () => Promise<unknown> };

export interface ReadinessReport {
  status: 'ready' | 'not_ready';
  checks: Record<string, 'ok' | string>;
}

/** Runs every readiness check in parallel, each bounded by `timeoutMs`. */
export async function readiness(checks: ReadinessCheck[], timeoutMs = 2_000): Promise<ReadinessReport> {
  const results = await Promise.all(
    checks.map(async ({ name, check }) => {
      try {
        await Promise.race([
          check(),
          new Promise((_, reject) =>
            setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs).unref(),
          ),
        ]);
        return [name, 'ok'] as const;
      } catch (error) {
        return [name, error instanceof Error ? error.message : String(error)] as const;
      }
    }),
  );
  const failed = results.some(([, result]) => result !== 'ok');
  return { status: failed ? 'not_ready' : 'ready', checks: Object.fromEntries(results) };
}

/**
 * A node:http handler for `GET /healthz` (the process is up) and `GET /readyz` (its dependencies answer).
 * Returns false when the request is for another path, so the caller can route it.
 */
export function handleHealth(checks: ReadinessCheck[]) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    const path = new URL(req.url ?? '/', 'http://local').pathname;
    if (req.method !== 'GET' || (path !== '/healthz' && path !== '/readyz')) return false;
    const body = path === '/healthz' ? { status: 'ok' } : await readiness(checks);
    const code = 'status' in body && body.status === 'not_ready' ? 503 : 200;
    res.writeHead(code, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    return true;
  };
}
