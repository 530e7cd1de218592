-- Up Migration
-- Identity's own record of each account (from account.account.created.v1): the name and slug that
-- invitations, the accept page and login by slug need, without asking the account service.
CREATE TABLE accounts (
  id             uuid        PRIMARY KEY,
  slug           text        NOT NULL UNIQUE,
  name           text        NOT NULL,
  timezone       text        NOT NULL,
  owner_email    text        NOT NULL,
  registered_at  timestamptz NOT NULL
);

-- Down Migration
DROP TABLE accounts;
