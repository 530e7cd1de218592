-- Up Migration
-- Inbox: one row per (consumer, event) written in the same transaction as the consumer's effect,
-- so a redelivered event finds its row and does nothing.
CREATE TABLE inbox (
  consumer     text        NOT NULL,
  event_id     uuid        NOT NULL,
  event_type   text        NOT NULL,
  received_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (consumer, event_id)
);

-- Down Migration
DROP TABLE inbox;
