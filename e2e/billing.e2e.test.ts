import { execFile } from 'node:child_process';
import { eventually } from '@crm/testing';
import Stripe from 'stripe';
import { anAccountRequest, api, operator } from './support/api';
import { emailsTo, linkIn } from './support/mailpit';

jest.setTimeout(120_000);

/** The local Stripe emulator (what Stripe.js talks to in a browser) and the webhook secret billing runs with. */
const STRIPE_API_BASE = process.env.STRIPE_API_BASE ?? 'http://127.0.0.1:8420';
const WEBHOOK_SECRET = process.env.BILLING_STRIPE_WEBHOOK_SECRET ?? 'whsec_local_emulator_only';
const GOOD_CARD = '4242424242424242';
const DECLINING_CARD = '4000000000000341';

/** Collects a card as Stripe.js would in the browser: confirm the SetupIntent with the publishable key. */
async function cardFromBrowser(token: string, number: string): Promise<string> {
  const intent = await api('POST', '/v1/billing/setup-intent', { token });
  expect(intent.status).toBe(201);
  const form = new URLSearchParams({
    key: intent.body.publishableKey,
    client_secret: intent.body.clientSecret,
    'payment_method_data[type]': 'card',
    'payment_method_data[card][number]': number,
    'payment_method_data[card][exp_month]': '11',
    'payment_method_data[card][exp_year]': String(new Date().getUTCFullYear() + 4),
    'payment_method_data[card][cvc]': '314',
  });
  const confirmed = await fetch(`${STRIPE_API_BASE}/v1/setup_intents/${intent.body.setupIntentId}/confirm`, {
    method: 'POST',
    body: form,
  });
  const body = (await confirmed.json()) as { status: string; payment_method: string };
  expect({ http: confirmed.status, status: body.status }).toEqual({ http: 200, status: 'succeeded' });
  return body.payment_method;
}

/** The text of a PDF (pdf.js through pdf-parse), extracted in a plain Node process: pdf.js needs dynamic import(). */
function pdfText(document: Buffer): Promise<string> {
  const script = `import { PDFParse } from 'pdf-parse';
const chunks = []; for await (const chunk of process.stdin) chunks.push(chunk);
const parser = new PDFParse({ data: new Uint8Array(Buffer.concat(chunks)) });
process.stdout.write((await parser.getText()).text); await parser.destroy();`;
  return new Promise((resolve, reject) => {
    const child = execFile(
      process.execPath,
      ['--input-type=module', '-e', script],
      { timeout: 30_000 },
      (error, stdout, stderr) => (error ? reject(new Error(stderr || error.message)) : resolve(stdout)),
    );
    child.stdin?.end(document);
  });
}

describe('billing through the gateway, on the real stack', () => {
  const request = anAccountRequest({ planId: 'starter', interval: 'month', trialDays: 0 });
  const ownerEmail = (request.owner as { email: string }).email;
  let token = '';

  it('lets the owner of a new account pay, upgrade, download the invoice, schedule and cancel a downgrade, and be refused cleanly on a declined card', async () => {
    // An operator provisions an account without a trial; the owner accepts the invitation and signs in.
    const created = await operator('POST', '/operator/v1/accounts', request);
    expect(created.status).toBe(201);
    const [invitation] = await emailsTo(ownerEmail);
    const inviteToken = new URL(linkIn(invitation?.Text ?? '', '/invite/')).pathname.split('/').pop();
    expect(
      (
        await api('POST', `/v1/invitations/${inviteToken}/accept`, {
          body: { password: 'owner passphrase for billing' },
        })
      ).status,
    ).toBe(200);
    const login = await api('POST', '/v1/auth/login', {
      body: { account: created.body.account.slug, email: ownerEmail, password: 'owner passphrase for billing' },
    });
    expect(login.status).toBe(200);
    token = login.body.token;

    // Without a trial the first month is due at once: with no card it is recorded as unpaid and shown.
    const unpaid = await eventually(async () => {
      const page = await api('GET', '/v1/billing', { token });
      return page.status === 200 && page.body.status === 'past_due' ? page.body : undefined;
    }, 30_000);
    expect(unpaid).toMatchObject({
      plan: { id: 'starter', interval: 'month', amount: 9700, currency: 'usd' },
      paymentMethod: null,
    });
    expect(unpaid.warnings.map((w: { code: string }) => w.code)).toEqual(
      expect.arrayContaining(['payment_failed', 'no_payment_method', 'no_billing_address']),
    );

    const address = await api('PUT', '/v1/billing/address', {
      token,
      body: {
        name: 'Acme Dental LLC',
        line1: '233 S Wacker Dr',
        line2: 'Suite 4400',
        city: 'Chicago',
        region: 'IL',
        postalCode: '60606',
        country: 'US',
        billingEmail: 'Billing@Acme.test',
      },
    });
    expect(address.status).toBe(200);
    expect(address.body.billingEmail).toBe('billing@acme.test');
    const badAddress = await api('PUT', '/v1/billing/address', {
      token,
      body: { name: 'Acme', line1: '1 Main St', city: 'Chicago', region: 'IL', postalCode: 'ABCDE', country: 'US' },
    });
    expect(badAddress.status).toBe(422);
    expect(badAddress.body.errors).toEqual([expect.objectContaining({ field: 'address.postalCode' })]);

    // A card collected in the browser becomes the payment method, and the unpaid invoice is paid at once.
    const saved = await api('POST', '/v1/billing/payment-method', {
      token,
      body: { paymentMethodId: await cardFromBrowser(token, GOOD_CARD) },
    });
    expect(saved.status).toBe(200);
    expect(saved.body.paymentMethod).toMatchObject({ brand: 'visa', last4: '4242', expMonth: 11 });
    expect(saved.body.retriedInvoices).toEqual([expect.objectContaining({ status: 'paid', amountPaid: 9700 })]);
    const overview = await api('GET', '/v1/billing', { token });
    expect(overview.body).toMatchObject({
      status: 'active',
      paymentMethod: { last4: '4242' },
      billingAddress: { city: 'Chicago', country: 'US' },
    });
    expect(overview.body.warnings).toEqual([]);

    // Preview, then upgrade with the preview's proration date: exactly the previewed lines, charged once.
    const preview = await api('POST', '/v1/billing/plan-change/preview', {
      token,
      body: { planId: 'unlimited', interval: 'month' },
    });
    expect(preview.status).toBe(200);
    expect(preview.body).toMatchObject({
      kind: 'upgrade',
      currency: 'usd',
      nextInvoice: { amount: 29700, planId: 'unlimited' },
    });
    expect(preview.body.lines.map((line: { kind: string }) => line.kind)).toEqual([
      'proration_credit',
      'proration_charge',
    ]);
    expect(preview.body.amountDueNow).toBe(preview.body.lines[0].amount + preview.body.lines[1].amount);
    const change = {
      token,
      body: { planId: 'unlimited', interval: 'month', prorationDate: preview.body.prorationDate },
      headers: { 'Idempotency-Key': `upgrade-${created.body.account.id}` },
    };
    const upgraded = await api('POST', '/v1/billing/plan-change', change);
    expect(upgraded.status).toBe(200);
    expect(upgraded.body).toMatchObject({
      status: 'applied',
      kind: 'upgrade',
      planId: 'unlimited',
      amountCharged: preview.body.amountDueNow,
      invoice: { status: 'paid', kind: 'proration' },
    });
    expect(upgraded.body.invoice.lines).toEqual(preview.body.lines);
    const repeated = await api('POST', '/v1/billing/plan-change', change);
    expect(repeated.body).toEqual(upgraded.body);
    expect((await api('GET', '/v1/billing', { token })).body.plan).toMatchObject({ id: 'unlimited', amount: 29700 });

    // The invoice is listed, and its PDF shows the lines and the billing address.
    const invoices = await api('GET', '/v1/billing/invoices', { token });
    expect(
      invoices.body.invoices.map((i: { displayNumber: string; status: string }) => [i.displayNumber, i.status]),
    ).toEqual([
      ['INV-000002', 'paid'],
      ['INV-000001', 'paid'],
    ]);
    const pdf = await fetch(new URL(upgraded.body.invoice.pdfUrl, process.env.GATEWAY_URL ?? 'http://127.0.0.1:8080'), {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    const document = Buffer.from(await pdf.arrayBuffer());
    expect(document.subarray(0, 5).toString()).toBe('%PDF-');
    const text = (await pdfText(document)).replace(/\s+/g, ' ');
    expect(text).toContain('Invoice INV-000002');
    expect(text).toContain(
      'Acme Dental LLC 233 S Wacker Dr Suite 4400 Chicago, IL 60606 United States billing@acme.test',
    );
    for (const line of upgraded.body.invoice.lines)
      expect(text).toContain(line.description.replace(/\s+/g, ' ').slice(0, 40));
    expect((await api('GET', `/v1/billing/invoices/${upgraded.body.invoice.id}/pdf`)).status).toBe(401);

    // A downgrade waits for the end of the period, is shown as pending, and can be cancelled.
    const periodEnd = (await api('GET', '/v1/billing', { token })).body.currentPeriod.end;
    const scheduled = await api('POST', '/v1/billing/plan-change', {
      token,
      body: { planId: 'starter', interval: 'month' },
    });
    expect(scheduled.body).toMatchObject({
      status: 'scheduled',
      kind: 'downgrade',
      effectiveAt: periodEnd,
      amountCharged: 0,
    });
    const pending = await api('GET', '/v1/billing', { token });
    expect(pending.body).toMatchObject({
      plan: { id: 'unlimited' },
      pendingChange: { planId: 'starter', effectiveAt: periodEnd },
      nextInvoice: { date: periodEnd, amount: 9700, planId: 'starter' },
    });
    const canceled = await api('DELETE', '/v1/billing/plan-change', { token });
    expect(canceled.status).toBe(200);
    expect((await api('GET', '/v1/billing', { token })).body).toMatchObject({
      pendingChange: null,
      nextInvoice: { amount: 29700, planId: 'unlimited' },
    });
    const nothingPending = await api('DELETE', '/v1/billing/plan-change', { token });
    expect(nothingPending.status).toBe(409);
    expect(nothingPending.body.code).toBe('billing.no_pending_change');

    // With a card that declines, an upgrade fails cleanly and the plan stays as it was.
    expect(
      (
        await api('POST', '/v1/billing/payment-method', {
          token,
          body: { paymentMethodId: await cardFromBrowser(token, DECLINING_CARD) },
        })
      ).status,
    ).toBe(200);
    const declined = await api('POST', '/v1/billing/plan-change', {
      token,
      body: { planId: 'pro', interval: 'month' },
      headers: { 'Idempotency-Key': `declined-${created.body.account.id}` },
    });
    expect(declined.status).toBe(402);
    expect(declined.headers.get('content-type')).toContain('application/problem+json');
    expect(declined.body).toMatchObject({
      code: 'billing.card_declined',
      detail: expect.stringContaining('The plan was not changed'),
    });
    expect((await api('GET', '/v1/billing', { token })).body.plan).toMatchObject({ id: 'unlimited' });
  });

  it('answers 400 to a webhook with a bad signature and handles a signed event once', async () => {
    const event = {
      id: `evt_e2e_${Date.now()}`,
      object: 'event',
      type: 'customer.updated',
      created: Math.floor(Date.now() / 1000),
      data: { object: { id: 'cus_unknown' } },
    };
    const payload = JSON.stringify(event);
    const post = (signature: string) =>
      fetch(new URL('/webhooks/stripe', process.env.GATEWAY_URL ?? 'http://127.0.0.1:8080'), {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8', 'stripe-signature': signature },
        body: payload,
      });
    const sign = (secret: string) =>
      new Stripe('sk_test_unused').webhooks.generateTestHeaderString({ payload, secret });

    const forged = await post(sign('whsec_not_the_right_one'));
    expect(forged.status).toBe(400);
    expect(((await forged.json()) as { code: string }).code).toBe('billing.webhook_signature_invalid');
    const first = await post(sign(WEBHOOK_SECRET));
    const again = await post(sign(WEBHOOK_SECRET));
    expect([first.status, await first.json()]).toEqual([200, { received: true, duplicate: false }]);
    expect([again.status, await again.json()]).toEqual([200, { received: true, duplicate: true }]);
  });

  it('keeps billing behind billing permissions', async () => {
    expect((await api('GET', '/v1/billing')).status).toBe(401);
    expect(
      (await api('GET', '/v1/billing/plans', { token })).body.plans.map((plan: { id: string }) => plan.id),
    ).toEqual(['starter', 'unlimited', 'pro']);
  });
});
