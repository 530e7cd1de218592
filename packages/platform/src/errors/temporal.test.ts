import {
  ActivityFailure,
  ApplicationFailure,
  DefaultFailureConverter,
  RetryState,
  defaultPayloadConverter,
} from '@temporalio/common';
import { DomainError, isDomainError, validationError } from './domain-error';
import { asActivityFailure, fromTemporalFailure, toApplicationFailure } from './temporal';

const failureConverter = new DefaultFailureConverter();

/** What a workflow or client sees: the failure encoded into Temporal's protobuf and decoded again. */
function overTheWire(error: Error): Error {
  const proto = failureConverter.errorToFailure(error, defaultPayloadConverter);
  return failureConverter.failureToError(proto, defaultPayloadConverter);
}

function failedActivity(cause: Error): ActivityFailure {
  return new ActivityFailure(
    'Activity task failed',
    'chargeInvoice',
    '7',
    RetryState.NON_RETRYABLE_FAILURE,
    'billing-worker',
    cause,
  );
}

describe('toApplicationFailure', () => {
  it('carries the code as the type, the message, and details with field errors', () => {
    const failure = toApplicationFailure(
      new DomainError('billing.card_declined', { declineCode: 'insufficient_funds' }, { message: 'Card declined.' }),
    );

    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure.type).toBe('billing.card_declined');
    expect(failure.message).toBe('Card declined.');
    expect(failure.nonRetryable).toBe(true);
    expect(failure.details).toEqual([{ declineCode: 'insufficient_funds' }, undefined]);
  });

  it('leaves a retryable code retryable', () => {
    expect(toApplicationFailure(new DomainError('dependency.unavailable')).nonRetryable).toBe(false);
  });
});

describe('fromTemporalFailure', () => {
  it('round-trips code, message, details and field errors through an ActivityFailure on the wire', () => {
    const original = validationError([{ field: '/planId', message: 'Unknown plan.', code: 'unknown' }], 'Bad plan.');
    const original2 = new DomainError('identity.invite_expired', { invitationId: 'inv_1', attempts: 2 });

    const decoded = fromTemporalFailure(overTheWire(failedActivity(toApplicationFailure(original))));
    const decoded2 = fromTemporalFailure(overTheWire(failedActivity(toApplicationFailure(original2))));

    expect(decoded).toBeInstanceOf(DomainError);
    expect(decoded).toMatchObject({
      code: 'validation.failed',
      message: 'Bad plan.',
      fieldErrors: [{ field: '/planId', message: 'Unknown plan.', code: 'unknown' }],
    });
    expect(decoded?.details).toBeUndefined();
    expect(decoded2).toMatchObject({
      code: 'identity.invite_expired',
      message: 'The invitation has expired',
      details: { invitationId: 'inv_1', attempts: 2 },
      retryable: false,
    });
    expect(decoded2?.fieldErrors).toBeUndefined();
  });

  it('keeps retryability across the wire', () => {
    const wire = overTheWire(failedActivity(toApplicationFailure(new DomainError('dependency.unavailable'))));

    expect((wire.cause as ApplicationFailure).nonRetryable).toBe(false);
    expect(fromTemporalFailure(wire)?.retryable).toBe(true);
  });

  it('finds the failure under a client error that wraps the activity failure', () => {
    const workflowFailed = new Error('Workflow execution failed', {
      cause: failedActivity(ApplicationFailure.nonRetryable('Already used', 'identity.invite_used')),
    });

    expect(fromTemporalFailure(workflowFailed)).toMatchObject({
      code: 'identity.invite_used',
      message: 'Already used',
    });
  });

  it('returns undefined when no failure in the chain has a known code', () => {
    expect(
      fromTemporalFailure(failedActivity(ApplicationFailure.retryable('socket hang up', 'Error'))),
    ).toBeUndefined();
    expect(fromTemporalFailure(new Error('plain'))).toBeUndefined();
    expect(fromTemporalFailure('not an error')).toBeUndefined();
  });

  it('stops on a cause cycle', () => {
    const a = new Error('a');
    const b = new Error('b', { cause: a });
    Object.assign(a, { cause: b });

    expect(fromTemporalFailure(a)).toBeUndefined();
  });

  it('ignores details that do not have the expected shape', () => {
    const failure = ApplicationFailure.create({ type: 'resource.conflict', details: ['oops', [{ field: 1 }]] });

    expect(fromTemporalFailure(failure)).toMatchObject({ code: 'resource.conflict', details: undefined });
    expect(fromTemporalFailure(failure)?.fieldErrors).toBeUndefined();
  });
});

describe('asActivityFailure', () => {
  it('turns a thrown DomainError into a non-retryable ApplicationFailure of that type', async () => {
    const chargeInvoice = asActivityFailure(async (_input: { invoiceId: string }) => {
      throw new DomainError('billing.card_declined', { declineCode: 'do_not_honor' });
    });

    const thrown = await chargeInvoice({ invoiceId: 'inv_1' }).catch((error: unknown) => error);

    expect(thrown).toBeInstanceOf(ApplicationFailure);
    expect(thrown).toMatchObject({
      type: 'billing.card_declined',
      nonRetryable: true,
      details: [{ declineCode: 'do_not_honor' }, undefined],
    });
  });

  it('passes other errors through unchanged so the retry policy applies', async () => {
    const outage = new Error('ETIMEDOUT');
    const activity = asActivityFailure(() => {
      throw outage;
    });

    await expect(activity()).rejects.toBe(outage);
  });

  it('returns the result of a successful activity', async () => {
    const activity = asActivityFailure((a: number, b: number) => a + b);

    await expect(activity(2, 3)).resolves.toBe(5);
  });
});

describe('isDomainError', () => {
  it('recognises DomainErrors only', () => {
    expect(isDomainError(new DomainError('resource.not_found'))).toBe(true);
    expect(isDomainError(Object.assign(new Error('x'), { code: 'resource.not_found' }))).toBe(false);
    expect(isDomainError(null)).toBe(false);
  });
});
