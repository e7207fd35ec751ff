-- Issue 17: the region's register of municipal public keys (statutory_package_key) gains who registered each key and
-- its revocation. A revoked key stays in the register (its packages received stay kept and keep pointing at it, and
-- the fingerprint can never be registered again), but a package signed with it is refused with the reason, and its
-- push token admits nothing. A municipality whose key was revoked registers a new one.
-- PostgreSQL twin of sqlite/0048_package_key_revocation.sql.

-- The account that registered the key on a page; NULL: the operator at the command line (every key before this
-- migration was registered there).
ALTER TABLE statutory_package_key ADD COLUMN registered_by UUID REFERENCES account (id);
-- When and by whom it was revoked, and why (the coordinator's words, shown in the refusal of its packages; figures
-- and keys only, never a person's data).
ALTER TABLE statutory_package_key ADD COLUMN revoked_at TIMESTAMPTZ;
ALTER TABLE statutory_package_key ADD COLUMN revoked_by UUID REFERENCES account (id);
ALTER TABLE statutory_package_key ADD COLUMN revoke_reason TEXT;
