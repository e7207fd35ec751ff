-- Rotation of a scope's data key (issue 20, item 6). SQLite twin of postgres/0028_data_key_rotation.sql.
-- version: the current data key's version (1 for the key a scope was created with); fields sealed under a later key
-- name its version in their first bytes. index_wrapped: the blind-index key, wrapped by the master key, kept on its
-- own from the first rotation on (it was derived from the first data key), so lookups need no re-indexing.
ALTER TABLE data_key ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE data_key ADD COLUMN index_wrapped BLOB;

-- A rotation in progress, at most one per scope, kept until it finishes so an interrupted one resumes where it
-- stopped: the next key (wrapped by the master key), and the cursor: the table being re-encrypted and the last row
-- done in it (NULL table: every table passed, the final check and the swap remain). The old key stays in data_key
-- until the swap, which happens only when no field under it remains.
CREATE TABLE data_key_rotation (
    scope_id           BLOB PRIMARY KEY,
    from_version       INTEGER NOT NULL,
    to_version         INTEGER NOT NULL,
    wrapped            BLOB NOT NULL,
    master_fingerprint TEXT NOT NULL,
    table_name         TEXT,
    after_id           BLOB,
    rows_done          BIGINT NOT NULL DEFAULT 0,
    started_at         TEXT NOT NULL,
    CHECK (to_version = from_version + 1)
);
