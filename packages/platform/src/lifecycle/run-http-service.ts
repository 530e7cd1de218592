import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Logger } from '../logger/logger';
import { handleHealth, type ReadinessCheck } from './health';

export interface HttpServiceSettings {
  name: string;
  host: string;
  port: number;
  logger: Logger;
  readinessChecks?: ReadinessCheck[];
  /** Handles every request that is not a health probe; answers 404 when absent. */
  handler?: (req: IncomingMessage, res: ServerResponse) => void;
}

/** Starts the internal HTTP server of a service: health probes first, then the service's own handler. */
export async function listenHttpService(settings: HttpServiceSettings): Promise<Server> {
  const health = handleHealth(settings.readinessChecks ?? []);
  const server = createServer((req, res) => {
    health(req, res)
      .then((handled) => {
        if (handled) return;
        if (settings.handler) return settings.handler(req, res);
        res
          .writeHead(404, { 'content-type': 'application/problem+json' })
          .end(JSON.stringify({ type: 'about:blank', title: 'Not Found', status: 404 }));
      })
      .catch((error: unknown) => {
        settings.logger.error({ err: error }, 'request failed');
        if (!res.headersSent) res.writeHead(500).end();
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(settings.port, settings.host, () => resolve());
  });
  settings.logger.info({ url: `http://${settings.host}:${settings.port}` }, `${settings.name} listening`);
  return server;
}

export const closeServer = (server: Server) =>
  new Promise<void>((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    server.closeIdleConnections();
  });
