export { errorCodes, errorSpec, isErrorCode, type ErrorCode, type ErrorCodeSpec } from './codes';
export { DomainError, isDomainError, validationError, type DomainErrorOptions, type FieldError } from './domain-error';
export {
  problemContentType,
  problemFor,
  problemTypeBase,
  problemTypeUri,
  type Problem,
  type ProblemContext,
  type ProblemDetails,
} from './problem';
export { asActivityFailure, fromTemporalFailure, toApplicationFailure } from './temporal';
