import { fromTemporalFailure, type DomainError } from '@crm/platform/errors';

/**
 * The DomainError a call failed with (billing's internal API rethrows a service's DomainError as one; one inside a
 * Temporal failure or another error's `cause` is found along the chain, as the gateway's problem handler does).
 */
export async function domainErrorOf(call: Promise<unknown>): Promise<DomainError | unknown> {
  try {
    await call;
  } catch (error) {
    return fromTemporalFailure(error) ?? error;
  }
  throw new Error('the call succeeded, but a failure was expected');
}
