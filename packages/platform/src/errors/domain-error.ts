import { errorCodes, isErrorCode, type ErrorCode } from './codes';

/** One invalid input. */
export interface FieldError {
  /** Where: a JSON pointer (`/owner/email`) or a dotted path (`owner.email`). */
  field: string;
  /** For a person: what is wrong and, ideally, how to fix it. */
  message: string;
  /** For a program: a stable reason such as `too_short` or `invalid_format`. */
  code?: string;
}

export interface DomainErrorOptions {
  /** Overrides the table's title as the message; it reaches clients as the problem's `detail`. */
  message?: string;
  fieldErrors?: FieldError[];
  cause?: unknown;
}

/** Lets `isDomainError` recognise an instance from another copy of this module (e.g. a second bundle). */
const domainErrorBrand = Symbol.for('@crm/platform.DomainError');

/**
 * The one error type of business rules (ARCHITECTURE.md rule 5): `throw new DomainError('billing.card_declined',
 * { declineCode })`. Its code decides the HTTP status, the problem type and whether Temporal retries; domain code
 * never throws HTTP errors.
 *
 * The message is shown to API clients as `detail`: write it for them, and never put secrets or another
 * account's data in it. `details` is structured context for logs, workflows and Temporal histories.
 */
export class DomainError extends Error {
  readonly code: ErrorCode;
  readonly details?: Record<string, unknown>;
  readonly fieldErrors?: FieldError[];
  readonly [domainErrorBrand] = true;

  constructor(code: ErrorCode, details?: Record<string, unknown>, options: DomainErrorOptions = {}) {
    super(
      options.message ?? errorCodes[code].title,
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.name = 'DomainError';
    this.code = code;
    if (details !== undefined) this.details = details;
    if (options.fieldErrors !== undefined) this.fieldErrors = options.fieldErrors;
  }

  get httpStatus(): number {
    return errorCodes[this.code].http;
  }

  get retryable(): boolean {
    return errorCodes[this.code].retryable;
  }
}

/** A `validation.failed` error (422) listing every invalid field. */
export function validationError(fieldErrors: FieldError[], message?: string): DomainError {
  return new DomainError('validation.failed', undefined, {
    fieldErrors,
    message: message ?? (fieldErrors.length === 1 ? fieldErrors[0]?.message : undefined),
  });
}

export function isDomainError(error: unknown): error is DomainError {
  if (error instanceof DomainError) return true;
  return (
    typeof error === 'object' &&
    error !== null &&
    (error as Record<symbol, unknown>)[domainErrorBrand] === true &&
    isErrorCode((error as { code?: unknown }).code)
  );
}
