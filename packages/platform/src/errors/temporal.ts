import { ApplicationFailure } from '@temporalio/common';
import { errorCodes, isErrorCode } from './codes';
import { DomainError, isDomainError, type FieldError } from './domain-error';

/**
 * How a DomainError crosses Temporal (ARCHITECTURE.md rule 5):
 *
 *   DomainError { code, message, details, fieldErrors }
 *     ⇄ ApplicationFailure { type: code, message, nonRetryable: !retryable, details: [details, fieldErrors] }
 *
 * `details` go through the worker's payload converter (JSON by default), so keep them JSON-serialisable.
 */
export function toApplicationFailure(error: DomainError): ApplicationFailure {
  return ApplicationFailure.create({
    type: error.code,
    message: error.message,
    nonRetryable: !errorCodes[error.code].retryable,
    details: [error.details, error.fieldErrors],
  });
}

/** Failures nest: WorkflowFailedError → ChildWorkflowFailure → ActivityFailure → ApplicationFailure → … */
const maxCauseDepth = 16;

/**
 * The DomainError carried by a Temporal failure, wherever it sits in the `cause` chain (a WorkflowFailedError
 * from the client, an ActivityFailure or ChildWorkflowFailure inside a workflow, or the ApplicationFailure
 * itself); undefined when no ApplicationFailure in the chain has a known error code as its type.
 */
export function fromTemporalFailure(error: unknown): DomainError | undefined {
  const seen = new Set<unknown>();
  let current: unknown = error;
  for (let depth = 0; depth < maxCauseDepth && current instanceof Error && !seen.has(current); depth++) {
    seen.add(current);
    if (isDomainError(current)) return current;
    if (current instanceof ApplicationFailure && isErrorCode(current.type)) {
      const [details, fieldErrors] = current.details ?? [];
      return new DomainError(current.type, isRecord(details) ? details : undefined, {
        message: current.message,
        fieldErrors: isFieldErrorList(fieldErrors) ? fieldErrors : undefined,
        cause: current,
      });
    }
    current = current.cause;
  }
  return undefined;
}

/**
 * Wraps an activity so that a DomainError it throws reaches Temporal as an ApplicationFailure whose type is the
 * code (non-retryable for business errors) instead of a retryable failure of type "DomainError". Any other
 * error passes through unchanged and follows the activity's retry policy.
 *
 *   export const createActivities = (deps: Deps) => ({ acceptInvitation: asActivityFailure((input) => … ) });
 */
export function asActivityFailure<Args extends unknown[], Result>(
  activity: (...args: Args) => Result | Promise<Result>,
): (...args: Args) => Promise<Result> {
  return async (...args: Args) => {
    try {
      return await activity(...args);
    } catch (error) {
      throw isDomainError(error) ? toApplicationFailure(error) : error;
    }
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isFieldErrorList(value: unknown): value is FieldError[] {
  return (
    Array.isArray(value) &&
    value.every(
      (item) =>
        isRecord(item) &&
        typeof item.field === 'string' &&
        typeof item.message === 'string' &&
        (item.code === undefined || typeof item.code === 'string'),
    )
  );
}
