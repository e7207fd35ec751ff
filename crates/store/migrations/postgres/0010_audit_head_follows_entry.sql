-- The audit head takes the newest entry's hash in the statement that appends the entry. The head row is locked from
-- the append's first statement to the commit, so each round trip saved there is saved for every audited request
-- queued behind it; and an entry can no longer be appended without moving the head.
CREATE FUNCTION audit_head_follow() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE audit_head SET hash = NEW.hash WHERE chain = 1;
    RETURN NULL;
END;
$$;
CREATE TRIGGER audit_head_follows_entry AFTER INSERT ON audit_entry
    FOR EACH ROW EXECUTE FUNCTION audit_head_follow();
