-- Up Migration
-- Billing's own record of each account (from account.account.created.v1): the plan chosen at provisioning
-- and the trial granted, from which the subscription starts.
CREATE TABLE billing_accounts (
  account_id       uuid        PRIMARY KEY,
  name             text        NOT NULL,
  plan_id          text        NOT NULL,
  billing_interval text        NOT NULL CHECK (billing_interval IN ('month', 'year')),
  trial_days       integer     NOT NULL,
  billing_email    text        NOT NULL,
  registered_at    timestamptz NOT NULL
);

-- Down Migration
DROP TABLE billing_accounts;
