import { ActivityFailure, ApplicationFailure, RetryState } from '@temporalio/common';
import { DomainError, validationError } from './domain-error';
import { problemFor, problemTypeUri } from './problem';
import { toApplicationFailure } from './temporal';

describe('problemTypeUri', () => {
  it('gives account.paused the `account-paused` type that API.md names', () => {
    expect(problemTypeUri('account.paused')).toBe('https://errors.crm.example/account-paused');
  });

  it('turns dots and underscores into dashes', () => {
    expect(problemTypeUri('identity.invite_expired')).toBe('https://errors.crm.example/identity-invite-expired');
    expect(problemTypeUri('api_keys.invalid')).toBe('https://errors.crm.example/api-keys-invalid');
  });
});

describe('problemFor', () => {
  it('answers a paused account with 402 and the account-paused problem type', () => {
    const error = new DomainError('account.paused', { accountId: 'acc_1' }, { message: 'Update your card to resume.' });

    expect(problemFor(error, { instance: '/v1/staff', traceId: 'trace-1' })).toEqual({
      status: 402,
      headers: { 'Content-Type': 'application/problem+json' },
      body: {
        type: 'https://errors.crm.example/account-paused',
        title: 'The account is paused until a payment succeeds',
        status: 402,
        detail: 'Update your card to resume.',
        code: 'account.paused',
        instance: '/v1/staff',
        traceId: 'trace-1',
      },
    });
  });

  it('answers a validation error with 422 and every field error', () => {
    const error = validationError([
      { field: '/email', message: 'Enter a valid email address.', code: 'invalid_format' },
      { field: '/phone', message: 'Use the international format, e.g. +14155550123.' },
    ]);

    const { status, body } = problemFor(error);

    expect(status).toBe(422);
    expect(body).toMatchObject({
      type: 'https://errors.crm.example/validation-failed',
      status: 422,
      code: 'validation.failed',
      errors: [
        { field: '/email', message: 'Enter a valid email address.', code: 'invalid_format' },
        { field: '/phone', message: 'Use the international format, e.g. +14155550123.' },
      ],
    });
  });

  it('lists the field errors of other 422 codes too', () => {
    const error = new DomainError('identity.weak_password', undefined, {
      fieldErrors: [{ field: '/password', message: 'This password is too common.', code: 'common' }],
    });

    expect(problemFor(error).body.errors).toEqual([
      { field: '/password', message: 'This password is too common.', code: 'common' },
    ]);
  });

  it('answers an unknown error with a generic 500 that leaks nothing about it', () => {
    const error = new Error('connect ECONNREFUSED 10.0.0.7:5432 password=hunter2');

    const problem = problemFor(error, { traceId: 'trace-2' });

    expect(problem).toEqual({
      status: 500,
      headers: { 'Content-Type': 'application/problem+json' },
      body: {
        type: 'https://errors.crm.example/internal-unexpected',
        title: 'Internal server error',
        status: 500,
        code: 'internal.unexpected',
        traceId: 'trace-2',
      },
    });
    expect(JSON.stringify(problem)).not.toContain('ECONNREFUSED');
  });

  it('answers a thrown non-error value with a generic 500', () => {
    expect(problemFor('boom').status).toBe(500);
    expect(problemFor(undefined).body).not.toHaveProperty('detail');
  });

  it('does not take a lookalike object with a code for a DomainError', () => {
    const forged = Object.assign(new Error('secret'), { code: 'account.paused' });

    expect(problemFor(forged).status).toBe(500);
  });

  it('maps a DomainError that failed an activity to its own status', () => {
    const failure = new ActivityFailure(
      'Activity task failed',
      'chargeInvoice',
      '1',
      RetryState.NON_RETRYABLE_FAILURE,
      'worker@host',
      toApplicationFailure(new DomainError('billing.card_declined', { declineCode: 'insufficient_funds' })),
    );

    expect(problemFor(failure).body).toMatchObject({ status: 402, code: 'billing.card_declined' });
  });

  it('answers an ApplicationFailure of an unknown type with a generic 500', () => {
    expect(problemFor(ApplicationFailure.nonRetryable('oops', 'TypeError')).status).toBe(500);
  });

  it('sets Retry-After when a rate-limit error says how long to wait', () => {
    const error = new DomainError('auth.rate_limited', { retryAfterSeconds: 2.3 });

    expect(problemFor(error).headers).toEqual({ 'Content-Type': 'application/problem+json', 'Retry-After': '3' });
  });
});
