import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';
import { DomainError } from '@crm/platform/errors';

const digest = (value: string) => createHash('sha256').update(value).digest();

/** The bearer token of a request, or undefined. */
export function bearerToken(req: Request): string | undefined {
  const header = req.get('authorization');
  const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
  return match?.[1];
}

/** Support staff present the operator token; compared in constant time (over digests, so length leaks nothing). */
export function requireOperator(req: Request, operatorToken: string): void {
  const token = bearerToken(req);
  if (!token || !timingSafeEqual(digest(token), digest(operatorToken))) {
    throw new DomainError('auth.unauthenticated', undefined, { message: 'a valid operator token is required' });
  }
}
