import { dictionary } from '@zxcvbn-ts/language-common';
import { DomainError, type FieldError } from '@crm/platform/errors';

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 128;

/** The ~49,000 most common passwords (zxcvbn-ts' list, ranked from breach corpora), lower-cased. */
const commonPasswords = new Set((dictionary['passwords-common'] as string[]).map((word) => word.toLowerCase()));

/**
 * PRODUCT.md §2: 12–128 characters, not one of the most common passwords. Length is counted in Unicode code
 * points, so a passphrase in any script counts what a person typed. No composition rules (NIST SP 800-63B).
 */
export function passwordProblems(password: string, context: { email?: string } = {}): FieldError[] {
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH) {
    return [
      {
        field: 'password',
        code: 'too_short',
        message: `the password must have at least ${PASSWORD_MIN_LENGTH} characters`,
      },
    ];
  }
  if (length > PASSWORD_MAX_LENGTH) {
    return [
      {
        field: 'password',
        code: 'too_long',
        message: `the password must have at most ${PASSWORD_MAX_LENGTH} characters`,
      },
    ];
  }
  const lowered = password.toLowerCase();
  if (commonPasswords.has(lowered) || /^(.)\1+$/u.test(password)) {
    return [
      {
        field: 'password',
        code: 'too_common',
        message: 'this password is one of the most common ones: choose another',
      },
    ];
  }
  if (context.email && lowered.includes(context.email.toLowerCase())) {
    return [{ field: 'password', code: 'contains_email', message: 'the password must not contain your email address' }];
  }
  return [];
}

/** Throws `identity.weak_password` (422, with the field error) when the password breaks the policy. */
export function assertAcceptablePassword(password: string, context: { email?: string } = {}): void {
  const problems = passwordProblems(password, context);
  if (problems.length > 0) {
    throw new DomainError('identity.weak_password', undefined, {
      message: problems[0]?.message,
      fieldErrors: problems,
    });
  }
}
