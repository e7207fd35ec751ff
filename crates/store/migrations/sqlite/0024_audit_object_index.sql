-- The data protection officer's register (issue 20, item 7) finds a case's reads by the objects the audit entries
-- name; without this index it walked the municipality's whole trail (about 0.3 s per page at a million entries).
-- SQLite twin of postgres/0024_audit_object_index.sql.
CREATE INDEX audit_entry_object ON audit_entry (object_kind, object_id);
