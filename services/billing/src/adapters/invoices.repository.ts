import type { Queryable } from '@crm/platform/pg';
import type { Invoice, InvoiceLine, InvoiceStatus } from '../domain/invoice';

interface InvoiceRow {
  id: string;
  account_id: string;
  number: number;
  kind: Invoice['kind'];
  status: InvoiceStatus;
  currency: string;
  total: string;
  amount_due: string;
  amount_paid: string;
  period_start: Date;
  period_end: Date;
  account_name: string;
  billing_address: Invoice['billingAddress'] | null;
  billing_email: string;
  request_key: string | null;
  attempt_count: number;
  last_failure_code: string | null;
  last_failure_message: string | null;
  payment_intent_id: string | null;
  created_at: Date;
  paid_at: Date | null;
  lines: Array<
    Omit<InvoiceLine, 'amount' | 'periodStart' | 'periodEnd'> & {
      amount: number;
      periodStart: string;
      periodEnd: string;
    }
  > | null;
}

const columns = `i.id, i.account_id, i.number, i.kind, i.status, i.currency, i.total, i.amount_due, i.amount_paid, i.period_start,
  i.period_end, i.account_name, i.billing_address, i.billing_email, i.request_key, i.attempt_count, i.last_failure_code,
  i.last_failure_message, i.payment_intent_id, i.created_at, i.paid_at,
  (SELECT json_agg(json_build_object('kind', l.kind, 'description', l.description, 'amount', l.amount, 'planId', l.plan_id,
      'interval', l.billing_interval, 'periodStart', l.period_start, 'periodEnd', l.period_end) ORDER BY l.position)
     FROM invoice_lines l WHERE l.invoice_id = i.id) AS lines`;

const toInvoice = (row: InvoiceRow): Invoice => ({
  id: row.id,
  accountId: row.account_id,
  number: row.number,
  kind: row.kind,
  status: row.status,
  currency: row.currency,
  total: Number(row.total),
  amountDue: Number(row.amount_due),
  amountPaid: Number(row.amount_paid),
  lines: (row.lines ?? []).map((line) => ({
    ...line,
    amount: Number(line.amount),
    periodStart: new Date(line.periodStart),
    periodEnd: new Date(line.periodEnd),
  })),
  periodStart: row.period_start,
  periodEnd: row.period_end,
  accountName: row.account_name,
  billingAddress: row.billing_address ?? undefined,
  billingEmail: row.billing_email,
  requestKey: row.request_key ?? undefined,
  attemptCount: row.attempt_count,
  lastFailureCode: row.last_failure_code ?? undefined,
  lastFailureMessage: row.last_failure_message ?? undefined,
  paymentIntentId: row.payment_intent_id ?? undefined,
  createdAt: row.created_at,
  paidAt: row.paid_at ?? undefined,
});

/** Invoices and their lines; every query is scoped by account id. */
export const invoicesRepository = {
  async insert(db: Queryable, invoice: Invoice): Promise<void> {
    await db.query(
      `INSERT INTO invoices (id, account_id, number, kind, status, currency, total, amount_due, amount_paid, period_start, period_end,
         account_name, billing_address, billing_email, request_key, attempt_count, created_at, paid_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)`,
      [
        invoice.id,
        invoice.accountId,
        invoice.number,
        invoice.kind,
        invoice.status,
        invoice.currency,
        invoice.total,
        invoice.amountDue,
        invoice.amountPaid,
        invoice.periodStart,
        invoice.periodEnd,
        invoice.accountName,
        invoice.billingAddress ?? null,
        invoice.billingEmail,
        invoice.requestKey ?? null,
        invoice.attemptCount,
        invoice.createdAt,
        invoice.paidAt ?? null,
      ],
    );
    for (const [position, line] of invoice.lines.entries()) {
      await db.query(
        `INSERT INTO invoice_lines (invoice_id, position, kind, description, amount, plan_id, billing_interval, period_start, period_end)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [
          invoice.id,
          position,
          line.kind,
          line.description,
          line.amount,
          line.planId,
          line.interval,
          line.periodStart,
          line.periodEnd,
        ],
      );
    }
  },

  async find(db: Queryable, accountId: string, invoiceId: string): Promise<Invoice | undefined> {
    const { rows } = await db.query<InvoiceRow>(
      `SELECT ${columns} FROM invoices i WHERE i.account_id = $1 AND i.id = $2`,
      [accountId, invoiceId],
    );
    return rows[0] && toInvoice(rows[0]);
  },

  async lock(db: Queryable, accountId: string, invoiceId: string): Promise<Invoice | undefined> {
    await db.query('SELECT 1 FROM invoices WHERE account_id = $1 AND id = $2 FOR UPDATE', [accountId, invoiceId]);
    return this.find(db, accountId, invoiceId);
  },

  async list(db: Queryable, accountId: string): Promise<Invoice[]> {
    const { rows } = await db.query<InvoiceRow>(
      `SELECT ${columns} FROM invoices i WHERE i.account_id = $1 ORDER BY i.number DESC`,
      [accountId],
    );
    return rows.map(toInvoice);
  },

  /** The subscription invoice of the period starting at `periodStart`, if it was made. */
  async findForPeriod(db: Queryable, accountId: string, periodStart: Date): Promise<Invoice | undefined> {
    const { rows } = await db.query<InvoiceRow>(
      `SELECT ${columns} FROM invoices i WHERE i.account_id = $1 AND i.kind = 'subscription' AND i.period_start = $2`,
      [accountId, periodStart],
    );
    return rows[0] && toInvoice(rows[0]);
  },

  /** The invoice a plan-change request produced, if any. */
  async findByRequestKey(db: Queryable, accountId: string, requestKey: string): Promise<Invoice | undefined> {
    const { rows } = await db.query<InvoiceRow>(
      `SELECT ${columns} FROM invoices i WHERE i.account_id = $1 AND i.request_key = $2`,
      [accountId, requestKey],
    );
    return rows[0] && toInvoice(rows[0]);
  },

  /** Open subscription invoices (past due), oldest first. */
  async listOpenSubscriptionInvoices(db: Queryable, accountId: string): Promise<Invoice[]> {
    const { rows } = await db.query<InvoiceRow>(
      `SELECT ${columns} FROM invoices i WHERE i.account_id = $1 AND i.kind = 'subscription' AND i.status = 'open' ORDER BY i.number`,
      [accountId],
    );
    return rows.map(toInvoice);
  },

  async markPaid(
    db: Queryable,
    accountId: string,
    invoiceId: string,
    at: Date,
    paymentIntentId: string | undefined,
    attempted: boolean,
  ): Promise<void> {
    await db.query(
      `UPDATE invoices SET status = 'paid', amount_paid = amount_due, paid_at = $3, payment_intent_id = COALESCE($4, payment_intent_id),
         attempt_count = attempt_count + $5, last_failure_code = NULL, last_failure_message = NULL
       WHERE account_id = $1 AND id = $2`,
      [accountId, invoiceId, at, paymentIntentId ?? null, attempted ? 1 : 0],
    );
  },

  async recordFailedAttempt(
    db: Queryable,
    accountId: string,
    invoiceId: string,
    failure: { code: string; message: string; paymentIntentId: string | undefined },
  ): Promise<void> {
    await db.query(
      `UPDATE invoices SET attempt_count = attempt_count + 1, last_failure_code = $3, last_failure_message = $4,
         payment_intent_id = COALESCE($5, payment_intent_id)
       WHERE account_id = $1 AND id = $2`,
      [accountId, invoiceId, failure.code, failure.message, failure.paymentIntentId ?? null],
    );
  },

  async setStatus(db: Queryable, accountId: string, invoiceId: string, status: InvoiceStatus): Promise<void> {
    await db.query('UPDATE invoices SET status = $3 WHERE account_id = $1 AND id = $2', [accountId, invoiceId, status]);
  },
};
