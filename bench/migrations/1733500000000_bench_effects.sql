-- Up Migration
-- The consumer effect the messaging benchmark measures: one row per applied event, written in the inbox transaction.
CREATE TABLE effects (event_id uuid NOT NULL, account_id text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now());

-- Down Migration
DROP TABLE effects;
