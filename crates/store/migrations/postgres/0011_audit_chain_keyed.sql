-- The audit chain becomes keyed: from now on each entry's hash is an HMAC-SHA-256 under a key wrapped by the master
-- key (which is never in the database), so someone with the database alone can no longer recompute the chain after
-- removing or editing entries.
--
-- Entries written before this migration keep their unkeyed SHA-256 hashes and stay verifiable by that rule:
-- `chain_version` says which rule an entry follows (1 unkeyed, 2 keyed). The first keyed entry links to the last
-- unkeyed one; `audit_head.keyed_from` is the sequence number where keyed entries start, and `anchor_mac` a MAC over
-- that number and the hash it links to, so the unkeyed prefix cannot be rewritten either. The store sets both at its
-- first start after this migration (a migration cannot compute a MAC) and writes a checkpoint outside the database.
--
-- A column with a constant default is added without rewriting the table (PostgreSQL 11+), so this is quick on a large
-- trail.
ALTER TABLE audit_entry ADD COLUMN chain_version SMALLINT NOT NULL DEFAULT 1;
ALTER TABLE audit_head ADD COLUMN keyed_from BIGINT;
ALTER TABLE audit_head ADD COLUMN anchor_mac BYTEA;
