-- Up Migration
CREATE TABLE accounts (
  id               uuid        PRIMARY KEY,
  slug             text        NOT NULL UNIQUE,
  name             text        NOT NULL,
  timezone         text        NOT NULL,
  status           text        NOT NULL CHECK (status IN ('provisioning', 'active', 'paused', 'closing', 'closed', 'purged')),
  owner            jsonb       NOT NULL,
  plan_id          text        NOT NULL,
  billing_interval text        NOT NULL CHECK (billing_interval IN ('month', 'year')),
  trial_days       integer     NOT NULL CHECK (trial_days BETWEEN 0 AND 365),
  creation_key     text        UNIQUE,
  created_at       timestamptz NOT NULL,
  updated_at       timestamptz NOT NULL
);

-- Down Migration
DROP TABLE accounts;
