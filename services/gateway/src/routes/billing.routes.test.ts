import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { create } from '@bufbuild/protobuf';
import { billingV1, type Permission } from '@crm/contracts';
import { createLogger } from '@crm/platform';
import { createGatewayApp } from '../app';
import type { ServiceClients } from '../clients';
import type { Principal } from '../http/route';

const ACCOUNT_ID = '3f2b8c1e-7d4a-4e5b-9c6d-0a1b2c3d4e5f';

/** The gateway in front of a recording fake of billing's internal API, with a caller holding `permissions`. */
async function gatewayWith(permissions: Permission[]) {
  const calls: { method: string; request: Record<string, unknown> }[] = [];
  const billing = new Proxy(
    {},
    {
      get: (_target, method: string) => async (request: Record<string, unknown>) => {
        calls.push({ method, request });
        if (method === 'getInvoicePdf')
          return { content: new Uint8Array(Buffer.from('%PDF-1.3 fake')), filename: 'INV-000001.pdf' };
        if (method === 'handleStripeWebhook') return { eventId: 'evt_1', eventType: 'x', duplicate: false };
        if (method === 'getBillingOverview')
          return create(billingV1.GetBillingOverviewResponseSchema, { billingEmail: 'b@acme.test', currency: 'usd' });
        if (method === 'changePlan')
          return create(billingV1.ChangePlanResponseSchema, {
            status: 'scheduled',
            planId: 'starter',
            currency: 'usd',
          });
        throw new Error(`unexpected call ${method}`);
      },
    },
  );
  const principal: Principal = {
    kind: 'user',
    accountId: ACCOUNT_ID,
    userId: 'user-1',
    permissions: new Set(permissions),
    accountStatus: 'active',
  };
  const app = createGatewayApp({
    clients: { billing, account: {}, identity: { recordActivity: async () => ({}) } } as unknown as ServiceClients,
    operatorToken: 'operator-token-for-tests-0123',
    authenticate: async () => principal,
    publicUrl: 'http://127.0.0.1',
    logger: createLogger({ service: 'gateway-test', level: 'silent' }),
    readinessChecks: [],
  });
  const server: Server = await new Promise((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { calls, base, close: () => new Promise((resolve) => server.close(resolve)) };
}

describe('billing routes', () => {
  it('answer 403 without billing.view, and need billing.manage to change anything', async () => {
    const none = await gatewayWith(['contacts.view']);
    const viewer = await gatewayWith(['billing.view']);
    try {
      expect((await fetch(`${none.base}/v1/billing`)).status).toBe(403);
      expect((await fetch(`${viewer.base}/v1/billing`)).status).toBe(200);
      const change = await fetch(`${viewer.base}/v1/billing/plan-change`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ planId: 'pro', interval: 'month' }),
      });
      expect(change.status).toBe(403);
      expect(viewer.calls.map((call) => call.method)).toEqual(['getBillingOverview']);
    } finally {
      await Promise.all([none.close(), viewer.close()]);
    }
  });

  it('pass the caller’s account, actor and Idempotency-Key to billing, after validating the body', async () => {
    const admin = await gatewayWith(['billing.view', 'billing.manage']);
    try {
      const invalid = await fetch(`${admin.base}/v1/billing/plan-change`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ planId: 'pro', interval: 'week' }),
      });
      expect(invalid.status).toBe(422);
      expect(((await invalid.json()) as { errors: { field: string }[] }).errors.map((e) => e.field)).toEqual([
        'interval',
      ]);

      const accepted = await fetch(`${admin.base}/v1/billing/plan-change`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': 'key-42' },
        body: JSON.stringify({ planId: 'starter', interval: 'month' }),
      });
      expect(accepted.status).toBe(200);
      expect(admin.calls).toEqual([
        {
          method: 'changePlan',
          request: expect.objectContaining({
            accountId: ACCOUNT_ID,
            planId: 'starter',
            idempotencyKey: 'key-42',
            actor: expect.objectContaining({ id: 'user-1' }),
          }),
        },
      ]);
    } finally {
      await admin.close();
    }
  });

  it('serve the invoice PDF as application/pdf bytes', async () => {
    const viewer = await gatewayWith(['billing.view']);
    try {
      const response = await fetch(`${viewer.base}/v1/billing/invoices/5d0c7a52-2f0e-4a8e-9a43-1f4f3c0f6b11/pdf`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('application/pdf');
      expect(response.headers.get('content-disposition')).toBe('attachment; filename="INV-000001.pdf"');
      expect(Buffer.from(await response.arrayBuffer()).toString()).toBe('%PDF-1.3 fake');
      expect((await fetch(`${viewer.base}/v1/billing/invoices/not-an-id/pdf`)).status).toBe(404);
    } finally {
      await viewer.close();
    }
  });

  it('forward a webhook’s exact bytes and signature, and refuse one without a signature', async () => {
    const gateway = await gatewayWith([]);
    const raw = '{ "id": "evt_1",  "type": "payment_method.updated" }\n';
    try {
      const unsigned = await fetch(`${gateway.base}/webhooks/stripe`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: raw,
      });
      expect(unsigned.status).toBe(400);
      const signed = await fetch(`${gateway.base}/webhooks/stripe`, {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8', 'stripe-signature': 't=1,v1=abc' },
        body: raw,
      });
      expect(signed.status).toBe(200);
      const [call] = gateway.calls;
      expect(call?.method).toBe('handleStripeWebhook');
      expect(Buffer.from(call?.request.payload as Uint8Array).toString()).toBe(raw);
      expect(call?.request.signature).toBe('t=1,v1=abc');
    } finally {
      await gateway.close();
    }
  });
});
