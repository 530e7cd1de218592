-- Up Migration
-- The billing engine (PRODUCT.md §5): plan catalogue, one subscription per account, payment methods (Stripe
-- holds the cards; we keep brand, last 4 and expiry), invoices with their lines, custom-plan requests and the
-- Stripe webhook events already handled. Every row that belongs to an account carries account_id.

ALTER TABLE billing_accounts
  ADD COLUMN stripe_customer_id text UNIQUE,
  ADD COLUMN billing_address    jsonb,
  ADD COLUMN invoice_counter    integer NOT NULL DEFAULT 0 CHECK (invoice_counter >= 0);

CREATE TABLE plans (
  id           text        PRIMARY KEY CHECK (id ~ '^[a-z0-9]([a-z0-9-]{0,38}[a-z0-9])?$'),
  name         text        NOT NULL,
  description  text        NOT NULL DEFAULT '',
  currency     text        NOT NULL CHECK (currency ~ '^[a-z]{3}$'),
  month_amount bigint      NOT NULL CHECK (month_amount > 0),
  year_amount  bigint      NOT NULL CHECK (year_amount > 0),
  active       boolean     NOT NULL DEFAULT true,
  sort_order   integer     NOT NULL DEFAULT 0,
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now()
);

INSERT INTO plans (id, name, description, currency, month_amount, year_amount, sort_order) VALUES
  ('starter',   'Starter',   'Everything a small team needs to start.',             'usd', 9700,  97000,  10),
  ('unlimited', 'Unlimited', 'Unlimited contacts, users and sub-accounts.',         'usd', 29700, 297000, 20),
  ('pro',       'Pro',       'Unlimited, plus SaaS mode and advanced automation.',  'usd', 49700, 497000, 30);

CREATE TABLE subscriptions (
  account_id           uuid        PRIMARY KEY REFERENCES billing_accounts (account_id),
  plan_id              text        NOT NULL REFERENCES plans (id),
  billing_interval     text        NOT NULL CHECK (billing_interval IN ('month', 'year')),
  price                bigint      NOT NULL CHECK (price >= 0),
  currency             text        NOT NULL,
  status               text        NOT NULL CHECK (status IN ('trialing', 'active', 'past_due', 'canceled')),
  trial_ends_at        timestamptz,
  anchor               timestamptz NOT NULL,
  cycle                integer     NOT NULL,
  current_period_start timestamptz NOT NULL,
  current_period_end   timestamptz NOT NULL CHECK (current_period_end >= current_period_start),
  pending_plan_id      text        REFERENCES plans (id),
  pending_interval     text        CHECK (pending_interval IN ('month', 'year')),
  pending_requested_at timestamptz,
  created_at           timestamptz NOT NULL,
  updated_at           timestamptz NOT NULL,
  CHECK ((pending_plan_id IS NULL) = (pending_interval IS NULL))
);

CREATE TABLE payment_methods (
  id          text        PRIMARY KEY,
  account_id  uuid        NOT NULL REFERENCES billing_accounts (account_id),
  brand       text        NOT NULL,
  last4       text        NOT NULL CHECK (last4 ~ '^[0-9]{4}$'),
  exp_month   integer     NOT NULL CHECK (exp_month BETWEEN 1 AND 12),
  exp_year    integer     NOT NULL,
  is_default  boolean     NOT NULL DEFAULT false,
  created_at  timestamptz NOT NULL,
  updated_at  timestamptz NOT NULL
);
CREATE INDEX payment_methods_by_account ON payment_methods (account_id);
CREATE UNIQUE INDEX payment_methods_one_default ON payment_methods (account_id) WHERE is_default;

CREATE TABLE invoices (
  id                   uuid        PRIMARY KEY,
  account_id           uuid        NOT NULL REFERENCES billing_accounts (account_id),
  number               integer     NOT NULL CHECK (number > 0),
  kind                 text        NOT NULL CHECK (kind IN ('subscription', 'proration')),
  status               text        NOT NULL CHECK (status IN ('open', 'paid', 'void', 'uncollectible')),
  currency             text        NOT NULL,
  total                bigint      NOT NULL,
  amount_due           bigint      NOT NULL CHECK (amount_due >= 0),
  amount_paid          bigint      NOT NULL DEFAULT 0 CHECK (amount_paid >= 0),
  period_start         timestamptz NOT NULL,
  period_end           timestamptz NOT NULL,
  account_name         text        NOT NULL,
  billing_address      jsonb,
  billing_email        text        NOT NULL,
  request_key          text,
  attempt_count        integer     NOT NULL DEFAULT 0,
  last_failure_code    text,
  last_failure_message text,
  payment_intent_id    text,
  created_at           timestamptz NOT NULL,
  paid_at              timestamptz,
  UNIQUE (account_id, number),
  UNIQUE (account_id, request_key)
);
-- One subscription invoice per account and period: a retried renewal finds the invoice it made.
CREATE UNIQUE INDEX invoices_one_per_period ON invoices (account_id, period_start) WHERE kind = 'subscription';
CREATE INDEX invoices_by_account ON invoices (account_id, created_at DESC);

CREATE TABLE invoice_lines (
  invoice_id       uuid        NOT NULL REFERENCES invoices (id) ON DELETE CASCADE,
  position         integer     NOT NULL,
  kind             text        NOT NULL CHECK (kind IN ('subscription', 'proration_credit', 'proration_charge')),
  description      text        NOT NULL,
  amount           bigint      NOT NULL,
  plan_id          text        NOT NULL,
  billing_interval text        NOT NULL CHECK (billing_interval IN ('month', 'year')),
  period_start     timestamptz NOT NULL,
  period_end       timestamptz NOT NULL,
  PRIMARY KEY (invoice_id, position)
);

CREATE TABLE custom_plan_requests (
  id           uuid        PRIMARY KEY,
  account_id   uuid        NOT NULL REFERENCES billing_accounts (account_id),
  message      text        NOT NULL,
  requested_by text        NOT NULL,
  request_key  text,
  created_at   timestamptz NOT NULL,
  UNIQUE (account_id, request_key)
);

-- Stripe webhook events already handled: a redelivery (Stripe retries, or an attacker replaying a valid
-- delivery within the signature tolerance) finds its row and does nothing.
CREATE TABLE stripe_events (
  event_id    text        PRIMARY KEY,
  event_type  text        NOT NULL,
  account_id  uuid,
  received_at timestamptz NOT NULL DEFAULT now()
);

-- Down Migration
DROP TABLE stripe_events;
DROP TABLE custom_plan_requests;
DROP TABLE invoice_lines;
DROP TABLE invoices;
DROP TABLE payment_methods;
DROP TABLE subscriptions;
DROP TABLE plans;
ALTER TABLE billing_accounts DROP COLUMN invoice_counter, DROP COLUMN billing_address, DROP COLUMN stripe_customer_id;
