import type { z } from 'zod';
import { validationError, type FieldError } from '@crm/platform/errors';

/** Parses a request body; every invalid field becomes a field error of one 422 problem. */
export function parseBody<B>(schema: z.ZodType<B>, body: unknown): B {
  const result = schema.safeParse(body ?? {});
  if (result.success) return result.data;
  const fieldErrors: FieldError[] = result.error.issues.map((issue) => ({
    field: issue.path.join('.') || '(body)',
    message: issue.message,
    code: issue.code,
  }));
  throw validationError(fieldErrors, 'the request body is not valid: see errors');
}
