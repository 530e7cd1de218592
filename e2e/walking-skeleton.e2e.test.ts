import { Connection, Client } from '@temporalio/client';
import { eventually } from '@crm/testing';
import { anAccountRequest, operator } from './support/api';
import { e2eEnv } from './support/env';

jest.setTimeout(60_000);

describe('walking skeleton: provisioning an account through every layer', () => {
  it('creates the account, tells identity and billing over Kafka, and activates it through a workflow findable by AccountId', async () => {
    const created = await operator('POST', '/operator/v1/accounts', anAccountRequest());
    expect(created.status).toBe(201);
    const accountId: string = created.body.account.id;
    expect(created.body.account.status).toBe('provisioning');

    const active = await eventually(
      async () => {
        const { body } = await operator('GET', `/operator/v1/accounts/${accountId}`);
        return body.account.status === 'active' ? body.account : undefined;
      },
      30_000,
      250,
    );
    expect(active).toMatchObject({ id: accountId, status: 'active' });

    const connection = await Connection.connect({ address: e2eEnv().TEMPORAL_ADDRESS });
    try {
      const client = new Client({ connection });
      const found = await eventually(async () => {
        const executions = [];
        for await (const execution of client.workflow.list({ query: `AccountId='${accountId}'` }))
          executions.push(execution);
        return executions.length > 0 ? executions : undefined;
      });
      expect(found.map((execution) => execution.workflowId)).toContain(`provisioning-${accountId}`);
    } finally {
      await connection.close();
    }
  });

  it('returns the same account for a repeated Idempotency-Key', async () => {
    const request = anAccountRequest();
    const key = `provision-${Date.now()}`;
    const first = await operator('POST', '/operator/v1/accounts', request, { 'Idempotency-Key': key });
    const again = await operator('POST', '/operator/v1/accounts', request, { 'Idempotency-Key': key });
    expect(first.status).toBe(201);
    expect(again.body.account.id).toBe(first.body.account.id);
  });

  it('answers 409 for a slug that is taken and 422 with field errors for bad input', async () => {
    const first = await operator('POST', '/operator/v1/accounts', anAccountRequest());
    const clash = await operator('POST', '/operator/v1/accounts', anAccountRequest({ slug: first.body.account.slug }));
    expect(clash.status).toBe(409);
    expect(clash.body.code).toBe('account.slug_taken');

    const invalid = await operator(
      'POST',
      '/operator/v1/accounts',
      anAccountRequest({ timezone: 'Mars/Olympus_Mons', interval: 'week' }),
    );
    expect(invalid.status).toBe(422);
    expect(invalid.headers.get('content-type')).toContain('application/problem+json');
    expect(invalid.body.errors.map((error: { field: string }) => error.field)).toEqual(
      expect.arrayContaining(['interval']),
    );
  });

  it('refuses a plan that billing does not offer, naming the field', async () => {
    const unknown = await operator('POST', '/operator/v1/accounts', anAccountRequest({ planId: 'platinum' }));
    expect(unknown.status).toBe(422);
    expect(unknown.body.errors).toEqual([expect.objectContaining({ field: 'planId', code: 'unknown_plan' })]);
    expect(unknown.body.errors[0].message).toContain('starter');
  });

  it('refuses the operator API without the operator token', async () => {
    const { status, body } = await operator(
      'GET',
      '/operator/v1/accounts/00000000-0000-4000-8000-000000000000',
      undefined,
      {
        authorization: 'Bearer wrong-token-wrong-token',
      },
    );
    expect(status).toBe(401);
    expect(body.code).toBe('auth.unauthenticated');
  });
});
