-- Issue 16, the home page at 10,000 procedures. The home page keeps each municipality's running cases in memory
-- (store::procedure::day_cache) and must know, on every look, whether anything they are made of changed: a case row,
-- a record with a clock, a support group's members, a form. Summing versions over 10,000 cases and 20,000 records on every
-- look cost 2-30 ms; this counter, moved by the database itself on every such write whatever code made it, costs one
-- row. A counter only grows while the database runs; a restored backup may take it back, which is why the server is
-- stopped for a restore (its memory starts empty). The row is locked until the writing transaction commits, so
-- writes to one municipality's cases queue here; every such write already queues at the audit chain's head.
CREATE TABLE tenant_case_change (
    tenant_id UUID PRIMARY KEY,
    counter   BIGINT NOT NULL
);
INSERT INTO tenant_case_change (tenant_id, counter) SELECT id, 0 FROM tenant;

CREATE FUNCTION tenant_case_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    changed UUID;
BEGIN
    IF TG_TABLE_NAME = 'group_member' THEN
        -- A group's members have no tenant column: the case's tells it (gone already when the case itself is
        -- erased, whose own deletion moves the counter).
        IF TG_OP = 'DELETE' THEN
            SELECT tenant_id INTO changed FROM procedure WHERE id = OLD.procedure_id;
        ELSE
            SELECT tenant_id INTO changed FROM procedure WHERE id = NEW.procedure_id;
        END IF;
    ELSIF TG_OP = 'DELETE' THEN
        changed := OLD.tenant_id;
    ELSE
        changed := NEW.tenant_id;
    END IF;
    IF changed IS NOT NULL THEN
        INSERT INTO tenant_case_change (tenant_id, counter) VALUES (changed, 1)
            ON CONFLICT (tenant_id) DO UPDATE SET counter = tenant_case_change.counter + 1;
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER procedure_changes AFTER INSERT OR UPDATE OR DELETE ON procedure
    FOR EACH ROW EXECUTE FUNCTION tenant_case_changed();
CREATE TRIGGER case_record_changes AFTER INSERT OR UPDATE OR DELETE ON case_record
    FOR EACH ROW EXECUTE FUNCTION tenant_case_changed();
CREATE TRIGGER procedure_form_changes AFTER INSERT OR UPDATE OR DELETE ON procedure_form
    FOR EACH ROW EXECUTE FUNCTION tenant_case_changed();
CREATE TRIGGER group_member_changes AFTER INSERT OR UPDATE OR DELETE ON group_member
    FOR EACH ROW EXECUTE FUNCTION tenant_case_changed();

-- A group member's home page asks which running cases they reach as the one who filed a form A; a member types many
-- forms C and D too (18,768 for the demo's member), and without the kind in the index each was read to be skipped.
CREATE INDEX procedure_form_initiator ON procedure_form (entered_by, kind, procedure_id);
-- The statutory set's kept figures check a fingerprint of the municipality's procedures (count, sum of versions,
-- newest); these columns in one index let it be read without the rows.
CREATE INDEX procedure_tenant_fingerprint ON procedure (tenant_id, version, created_at);
