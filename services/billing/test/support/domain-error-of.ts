import { fromTemporalFailure, type DomainError } from '@crm/platform/errors';

/**
 * The DomainError a call to billing's internal API failed with. The Connect client wraps the DomainError that the
 * platform's interceptor rebuilds in a ConnectError (as its `cause`); the gateway's problem handler finds it the
 * same way, walking the cause chain.
 */
export async function domainErrorOf(call: Promise<unknown>): Promise<DomainError | unknown> {
  try {
    await call;
  } catch (error) {
    return fromTemporalFailure(error) ?? error;
  }
  throw new Error('the call succeeded, but a failure was expected');
}
