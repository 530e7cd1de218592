-- Up Migration
-- The owner's user id and invitation id, chosen here at creation and carried by account.account.created.v1,
-- so that the operator API answers with them at once and identity creates the user and invitation with them.
ALTER TABLE accounts ADD COLUMN owner_user_id uuid, ADD COLUMN owner_invitation_id uuid;
UPDATE accounts SET owner_user_id = gen_random_uuid(), owner_invitation_id = gen_random_uuid() WHERE owner_user_id IS NULL;
ALTER TABLE accounts ALTER COLUMN owner_user_id SET NOT NULL, ALTER COLUMN owner_invitation_id SET NOT NULL;

-- Down Migration
ALTER TABLE accounts DROP COLUMN owner_user_id, DROP COLUMN owner_invitation_id;
