import { z } from 'zod';
import type { RouteDefinition } from '../http/route';

const problem = {
  description: 'An RFC 9457 problem (application/problem+json)',
  content: {
    'application/problem+json': {
      schema: {
        type: 'object',
        required: ['type', 'title', 'status', 'code'],
        properties: {
          type: { type: 'string', format: 'uri' },
          title: { type: 'string' },
          status: { type: 'integer' },
          code: { type: 'string', description: 'Stable error code, e.g. account.slug_taken' },
          detail: { type: 'string' },
          instance: { type: 'string' },
          traceId: { type: 'string' },
          errors: {
            type: 'array',
            items: { type: 'object', properties: { field: { type: 'string' }, message: { type: 'string' }, code: { type: 'string' } } },
          },
        },
      },
    },
  },
};

/** Who may call an operation, in words, for the API reference (the same as its `x-access`). */
export function accessDescription(access: RouteDefinition['access']): string {
  switch (access.kind) {
    case 'public':
      return 'Access: public (no credentials).';
    case 'operator':
      return 'Access: support staff with the operator token.';
    case 'authenticated':
      return 'Access: any signed-in user or API key of the account.';
    case 'permission':
      return `Access: requires the \`${access.permission}\` permission (403 without it).`;
  }
}

const jsonSchema = (schema: z.ZodType) => z.toJSONSchema(schema, { target: 'openapi-3.0', io: 'input', unrepresentable: 'any' });

/** The OpenAPI 3.0 document, generated from the same route table the gateway mounts. */
export function openApiDocument(routes: RouteDefinition<never>[], serverUrl: string) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const path = route.path.replace(/:([A-Za-z]+)/g, '{$1}');
    const parameters = [...route.path.matchAll(/:([A-Za-z]+)/g)].map(([, name]) => ({
      name,
      in: 'path',
      required: true,
      schema: { type: 'string' },
    }));
    for (const [name, description] of Object.entries(route.query ?? {})) {
      parameters.push({ name, in: 'query', required: false, description, schema: { type: 'string' } } as never);
    }
    if (route.method !== 'get') {
      parameters.push({ name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string' } } as never);
    }
    const responses: Record<string, unknown> = {};
    for (const [status, response] of Object.entries(route.responses)) {
      responses[status] =
        Number(status) >= 400
          ? { ...problem, description: response.description }
          : {
              description: response.description,
              ...(response.schema ? { content: { 'application/json': { schema: jsonSchema(response.schema) } } } : {}),
            };
    }
    responses.default = problem;
    paths[path] ??= {};
    paths[path][route.method] = {
      operationId: route.operationId,
      summary: route.summary,
      description: accessDescription(route.access),
      tags: [route.tag],
      security: route.access.kind === 'public' ? [] : [{ [route.access.kind === 'operator' ? 'operatorToken' : 'bearer']: [] }],
      'x-access': route.access,
      parameters,
      ...(route.body ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(route.body) } } } } : {}),
      responses,
    };
  }
  return {
    openapi: '3.0.3',
    info: {
      title: 'CRM account administration API',
      version: '0.1.0',
      description:
        'Invite staff, shape permissions, run billing and plans, manage API keys. Errors are application/problem+json with a stable `code`. Every route states who may call it in `x-access` (`public`, `operator`, `authenticated`, or `permission` with the permission it needs) and in its description. A change to permissions counts on the caller’s next request.',
    },
    servers: [{ url: serverUrl }],
    components: {
      securitySchemes: {
        operatorToken: { type: 'http', scheme: 'bearer', description: 'Support staff: the OPERATOR_TOKEN' },
        bearer: { type: 'http', scheme: 'bearer', description: 'A session token or an API key' },
      },
    },
    paths,
  };
}
