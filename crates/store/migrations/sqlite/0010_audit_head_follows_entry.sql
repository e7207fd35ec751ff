-- SQLite twin of postgres/0010_audit_head_follows_entry.sql: the audit head takes the newest entry's hash in the
-- statement that appends the entry (one statement fewer per audited request, each a thread hand-off in sqlx-sqlite),
-- and an entry can no longer be appended without moving the head.
CREATE TRIGGER audit_head_follows_entry AFTER INSERT ON audit_entry
BEGIN UPDATE audit_head SET hash = NEW.hash WHERE chain = 1; END;
