-- Up Migration
-- Team: users, their permission profiles, credentials, invitations (with single-use tokens), sessions, password
-- resets, calendar/pipeline memberships and the activity log. Every row carries its account id, and every query
-- is scoped by it. Tokens of every kind are stored as SHA-256 digests, never in clear.

-- The account's status, from account.account.status_changed.v1 (the principal carries it to the gateway).
ALTER TABLE accounts
  ADD COLUMN status text NOT NULL DEFAULT 'provisioning'
    CHECK (status IN ('provisioning', 'active', 'paused', 'closing', 'closed', 'purged')),
  ADD COLUMN owner_user_id uuid;

-- Built-in profiles (`admin`, `user`) are seeded per account; their permissions come from @crm/contracts, so the
-- catalogue can grow without a migration. Custom profiles (issue 5) store theirs in `permissions`.
CREATE TABLE permission_profiles (
  account_id   uuid        NOT NULL REFERENCES accounts (id),
  id           text        NOT NULL,
  name         text        NOT NULL,
  builtin      boolean     NOT NULL,
  permissions  text[]      NOT NULL DEFAULT '{}',
  created_at   timestamptz NOT NULL,
  PRIMARY KEY (account_id, id)
);

CREATE TABLE users (
  id              uuid        PRIMARY KEY,
  account_id      uuid        NOT NULL REFERENCES accounts (id),
  email           text        NOT NULL CHECK (email = lower(email)),
  first_name      text        NOT NULL,
  last_name       text        NOT NULL,
  phone           text        NOT NULL,
  profile_id      text        NOT NULL,
  status          text        NOT NULL CHECK (status IN ('invited', 'active', 'deactivated', 'removed')),
  is_owner        boolean     NOT NULL DEFAULT false,
  created_at      timestamptz NOT NULL,
  updated_at      timestamptz NOT NULL,
  activated_at    timestamptz,
  FOREIGN KEY (account_id, profile_id) REFERENCES permission_profiles (account_id, id)
);
-- Email is unique per account among users who are not removed (a removed user's address may be invited again).
CREATE UNIQUE INDEX users_email_per_account ON users (account_id, email) WHERE status <> 'removed';
CREATE INDEX users_by_account_status ON users (account_id, status);

CREATE TABLE credentials (
  user_id        uuid        PRIMARY KEY REFERENCES users (id),
  account_id     uuid        NOT NULL,
  password_hash  text        NOT NULL,
  updated_at     timestamptz NOT NULL
);

CREATE TABLE invitations (
  id                uuid        PRIMARY KEY,
  account_id        uuid        NOT NULL REFERENCES accounts (id),
  user_id           uuid        NOT NULL REFERENCES users (id),
  status            text        NOT NULL CHECK (status IN ('pending', 'accepted', 'expired', 'revoked')),
  -- A resend starts a new generation: links of older generations are dead.
  generation        integer     NOT NULL DEFAULT 1,
  issued_at         timestamptz NOT NULL,
  expires_at        timestamptz NOT NULL,
  invited_by        uuid,
  -- Access chosen at invite time, applied on acceptance (the calendars/pipelines extension point).
  calendar_ids      text[]      NOT NULL DEFAULT '{}',
  pipeline_ids      text[]      NOT NULL DEFAULT '{}',
  copy_access_from  uuid,
  created_at        timestamptz NOT NULL,
  closed_at         timestamptz
);
CREATE INDEX invitations_by_user ON invitations (account_id, user_id, created_at DESC);

-- Every link ever issued for an invitation (the invitation email and each reminder carry their own), so that an
-- old link can be told apart from an unknown one. A token is valid only for the invitation's current generation.
CREATE TABLE invitation_tokens (
  token_hash     bytea       PRIMARY KEY,
  invitation_id  uuid        NOT NULL REFERENCES invitations (id),
  account_id     uuid        NOT NULL,
  generation     integer     NOT NULL,
  issued_at      timestamptz NOT NULL
);
CREATE INDEX invitation_tokens_by_invitation ON invitation_tokens (invitation_id);

CREATE TABLE sessions (
  id                   uuid        PRIMARY KEY,
  account_id           uuid        NOT NULL,
  user_id              uuid        NOT NULL REFERENCES users (id),
  token_hash           bytea       NOT NULL UNIQUE,
  created_at           timestamptz NOT NULL,
  last_seen_at         timestamptz NOT NULL,
  absolute_expires_at  timestamptz NOT NULL,
  ended_at             timestamptz,
  end_reason           text,
  ip                   text        NOT NULL DEFAULT '',
  user_agent           text        NOT NULL DEFAULT ''
);
CREATE INDEX sessions_open_by_user ON sessions (account_id, user_id) WHERE ended_at IS NULL;

CREATE TABLE password_resets (
  token_hash  bytea       PRIMARY KEY,
  account_id  uuid        NOT NULL,
  user_id     uuid        NOT NULL REFERENCES users (id),
  created_at  timestamptz NOT NULL,
  expires_at  timestamptz NOT NULL,
  used_at     timestamptz
);

-- Who is in which round-robin calendar or pipeline. The calendars/pipelines issue adds their registries; the staff
-- list already flags active users who are in none.
CREATE TABLE memberships (
  account_id   uuid        NOT NULL,
  kind         text        NOT NULL CHECK (kind IN ('calendar', 'pipeline')),
  resource_id  text        NOT NULL,
  user_id      uuid        NOT NULL REFERENCES users (id),
  created_at   timestamptz NOT NULL,
  PRIMARY KEY (account_id, kind, resource_id, user_id)
);
CREATE INDEX memberships_by_user ON memberships (account_id, user_id);

CREATE TABLE activity_log (
  id             bigserial   PRIMARY KEY,
  account_id     uuid        NOT NULL,
  actor_user_id  uuid,
  action         text        NOT NULL,
  target         text        NOT NULL DEFAULT '',
  occurred_at    timestamptz NOT NULL,
  ip             text        NOT NULL DEFAULT '',
  user_agent     text        NOT NULL DEFAULT '',
  result         text        NOT NULL CHECK (result IN ('success', 'failure', 'denied')),
  status_code    integer
);
CREATE INDEX activity_by_account ON activity_log (account_id, id DESC);
CREATE INDEX activity_by_actor ON activity_log (account_id, actor_user_id, id DESC);

-- Login throttling counters (rate-limiter-flexible's PostgreSQL store; its table layout).
CREATE TABLE login_throttle (
  key     varchar(255) PRIMARY KEY,
  points  integer      NOT NULL DEFAULT 0,
  expire  bigint
);

-- Down Migration
DROP TABLE login_throttle;
DROP TABLE activity_log;
DROP TABLE memberships;
DROP TABLE password_resets;
DROP TABLE sessions;
DROP TABLE invitation_tokens;
DROP TABLE invitations;
DROP TABLE credentials;
DROP TABLE users;
DROP TABLE permission_profiles;
ALTER TABLE accounts DROP COLUMN status, DROP COLUMN owner_user_id;
