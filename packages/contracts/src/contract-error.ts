/**
 * Why a message or a definition breaks the event contract. Consumers send an event that fails to decode to
 * their dead-letter topic instead of retrying it: no retry will make it valid.
 */
export type ContractErrorCode =
  | 'contract.malformed_event_type'
  | 'contract.duplicate_event_type'
  | 'contract.unknown_event_type'
  | 'contract.malformed_envelope'
  | 'contract.invalid_payload';

export class ContractError extends Error {
  override readonly name = 'ContractError';

  constructor(
    readonly code: ContractErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
