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

/** Client side: turns a service's DomainError back into a DomainError, so the gateway maps it like its own. */
const connectToDomainErrors: Interceptor = (next) => async (request) => {
  try {
    return await next(request);
  } catch (error) {
    const encoded = error instanceof ConnectError ? error.metadata.get(DOMAIN_ERROR_HEADER) : null;
    if (!encoded) throw error;
    const payload = JSON.parse(Buffer.from(encoded, 'base64url').toString()) as {
      code: string;
      message: string;
      details?: Record<string, unknown>;
      fieldErrors?: DomainError['fieldErrors'];
    };
    if (!isErrorCode(payload.code)) throw error;
    throw new DomainError(payload.code, payload.details, { message: payload.message, fieldErrors: payload.fieldErrors, cause: error });
  }
};

/** A node:http handler serving the given Connect routes under `/<package>.<Service>/<Method>`. */
export function connectHandler(
  routes: (router: ConnectRouter) => void,
  logger: Logger,
): (req: IncomingMessage, res: ServerResponse) => void {
  return connectNodeAdapter({ routes, interceptors: [domainErrorsToConnect(logger)], jsonOptions: { ignoreUnknownFields: false } });
}

/** A typed client of another process's internal API (JSON over HTTP/1.1, Connect protocol). */
export function rpcClient<S extends DescService>(service: S, baseUrl: string, timeoutMs = 10_000): Client<S> {
  const transport = createConnectTransport({
    baseUrl,
    httpVersion: '1.1',
    useBinaryFormat: false,
    defaultTimeoutMs: timeoutMs,
    interceptors: [connectToDomainErrors],
  });
  return createClient(service, transport);
}
