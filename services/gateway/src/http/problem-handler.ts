import type { ErrorRequestHandler, RequestHandler } from 'express';
import { trace } from '@opentelemetry/api';
import { DomainError, problemContentType, problemFor } from '@crm/platform/errors';
import type { Logger } from '@crm/platform';

/** Every error leaves the gateway as application/problem+json; unknown errors are logged and answered 500 without detail. */
export function problemHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    const traceId = trace.getActiveSpan()?.spanContext().traceId;
    const bodyParserError = error as { type?: string; status?: number };
    const effective =
      bodyParserError.type === 'entity.parse.failed'
        ? new DomainError('request.malformed', undefined, { message: 'the request body is not valid JSON' })
        : error;
    const problem = problemFor(effective, { instance: req.originalUrl, traceId });
    if (problem.status >= 500) logger.error({ err: error, path: req.originalUrl, traceId }, 'request failed');
    res.status(problem.status).set(problem.headers).type(problemContentType).send(JSON.stringify(problem.body));
  };
}

export const notFound: RequestHandler = (req, _res, next) => {
  next(new DomainError('resource.not_found', undefined, { message: `no route for ${req.method} ${req.path}` }));
};
