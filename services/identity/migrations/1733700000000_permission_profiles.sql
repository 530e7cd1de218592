-- Up Migration
-- Custom permission profiles (issue 5): editable, deletable (kept as history for removed users who held them),
-- with names unique per account, case-insensitively, among profiles that are not deleted.
ALTER TABLE permission_profiles
  ADD COLUMN updated_at timestamptz,
  ADD COLUMN deleted_at timestamptz;
UPDATE permission_profiles SET updated_at = created_at;
ALTER TABLE permission_profiles ALTER COLUMN updated_at SET NOT NULL;

CREATE UNIQUE INDEX permission_profiles_name_per_account
  ON permission_profiles (account_id, lower(name)) WHERE deleted_at IS NULL;

-- Who holds a profile (its user count, the "in use" check, reassignment, and permission change events).
CREATE INDEX users_by_profile ON users (account_id, profile_id) WHERE status <> 'removed';

-- Down Migration
DROP INDEX users_by_profile;
DROP INDEX permission_profiles_name_per_account;
ALTER TABLE permission_profiles DROP COLUMN deleted_at, DROP COLUMN updated_at;
