import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DescService } from '@bufbuild/protobuf';
import { Code, ConnectError, createClient, type Client, type ConnectRouter, type Interceptor } from '@connectrpc/connect';
import { connectNodeAdapter, createConnectTransport } from '@connectrpc/connect-node';
import { DomainError, errorCodes, isDomainError, isErrorCode } from '../errors';
import type { Logger } from '../logger/logger';

/** The header that carries a DomainError (code, message, details, field errors) from a service to the gateway. */
const DOMAIN_ERROR_HEADER = 'crm-domain-error';

const connectCodeFor = (http: number): Code =>
  ({ 400: Code.InvalidArgument, 401: Code.Unauthenticated, 402: Code.FailedPrecondition, 403: Code.PermissionDenied, 404: Code.NotFound, 409: Code.AlreadyExists, 410: Code.NotFound, 422: Code.InvalidArgument, 429: Code.ResourceExhausted })[http] ?? Code.Internal;

/** Server side: a DomainError thrown by a use case travels to the caller whole; anything else is an opaque internal error. */
function domainErrorsToConnect(logger: Logger): Interceptor {
  return (next) => async (request) => {
    try {
      return await next(request);
    } catch (error) {
      if (isDomainError(error)) {
        const payload = { code: error.code, message: error.message, details: error.details, fieldErrors: error.fieldErrors };
        const metadata = new Headers({ [DOMAIN_ERROR_HEADER]: Buffer.from(JSON.stringify(payload)).toString('base64url') });
        throw new ConnectError(error.message, connectCodeFor(errorCodes[error.code].http), metadata);
      }
      if (error instanceof ConnectError) throw error;
      logger.error({ err: error, procedure: request.method.name }, 'rpc failed');
      throw new ConnectError('internal error', Code.Internal);
    }
  };
}

const networkFailures = new Set(['ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH', 'ENOTFOUND', 'ETIMEDOUT', 'EPIPE']);

/** The service did not answer (down, restarting, too slow), as opposed to answering with an error. */
function isUnreachable(error: ConnectError): boolean {
  if (error.code === Code.Unavailable || error.code === Code.DeadlineExceeded) return true;
  // connect-node classifies socket errors by `instanceof Error`, which fails across VM realms (Jest): look at the code.
  const cause = error.cause as { code?: unknown } | undefined;
  return typeof cause?.code === 'string' && networkFailures.has(cause.code);
}

/**
 * Client side: a service's DomainError comes back as a DomainError (not as the cause of a ConnectError), so the
 * gateway maps it like its own; a service that cannot be reached becomes `dependency.unavailable` (503).
 */
function asDomainError(error: unknown): unknown {
  if (!(error instanceof ConnectError)) return error;
  const encoded = error.metadata.get(DOMAIN_ERROR_HEADER);
  if (!encoded) return isUnreachable(error) ? new DomainError('dependency.unavailable', undefined, { cause: error }) : error;
  const payload = JSON.parse(Buffer.from(encoded, 'base64url').toString()) as {
    code: string;
    message: string;
    details?: Record<string, unknown>;
    fieldErrors?: DomainError['fieldErrors'];
  };
  if (!isErrorCode(payload.code)) return error;
  return new DomainError(payload.code, payload.details, { message: payload.message, fieldErrors: payload.fieldErrors, cause: error });
}

/** A node:http handler serving the given Connect routes under `/<package>.<Service>/<Method>`. */
export function connectHandler(
  routes: (router: ConnectRouter) => void,
  logger: Logger,
): (req: IncomingMessage, res: ServerResponse) => void {
  return connectNodeAdapter({ routes, interceptors: [domainErrorsToConnect(logger)], jsonOptions: { ignoreUnknownFields: false } });
}

/** A typed client of another process's internal API (JSON over HTTP/1.1, Connect protocol). */
export function rpcClient<S extends DescService>(service: S, baseUrl: string, timeoutMs = 10_000): Client<S> {
  const transport = createConnectTransport({ baseUrl, httpVersion: '1.1', useBinaryFormat: false, defaultTimeoutMs: timeoutMs });
  const client = createClient(service, transport) as Record<string, (...args: unknown[]) => Promise<unknown>>;
  return new Proxy(client, {
    get(target, property, receiver) {
      const method = Reflect.get(target, property, receiver) as unknown;
      if (typeof method !== 'function') return method;
      return (...args: unknown[]) =>
        (method as (...a: unknown[]) => Promise<unknown>).apply(target, args).catch((error: unknown) => {
          throw asDomainError(error);
        });
    },
  }) as unknown as Client<S>;
}
