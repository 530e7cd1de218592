-- Up Migration
-- Idempotency records: the result of an operation under a caller's key (an HTTP Idempotency-Key, a workflow's
-- `<invoiceId>:attempt:<n>`, an email step), so a repeat returns the first result instead of acting twice.
CREATE TABLE idempotency_keys (
  scope         text        NOT NULL,
  key           text        NOT NULL,
  request_hash  text        NOT NULL,
  status        text        NOT NULL CHECK (status IN ('started', 'completed')),
  response      jsonb,
  created_at    timestamptz NOT NULL DEFAULT now(),
  completed_at  timestamptz,
  PRIMARY KEY (scope, key)
);

-- Down Migration
DROP TABLE idempotency_keys;
