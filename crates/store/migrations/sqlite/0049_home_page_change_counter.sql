-- Issue 16, the home page at 10,000 procedures. The home page keeps each municipality's running cases in memory
-- (store::procedure::day_cache) and must know, on every look, whether anything they are made of changed: a case row,
-- a record with a clock, a support group's members, a form. Summing versions over 10,000 cases and 20,000 records on every
-- look cost 2-30 ms; this counter, moved by the database itself on every such write whatever code made it, costs one
-- row. A counter only grows while the database runs; a restored backup may take it back, which is why the server is
-- stopped for a restore (its memory starts empty). SQLite twin of postgres/0049_home_page_change_counter.sql.
CREATE TABLE tenant_case_change (
    tenant_id BLOB PRIMARY KEY,
    counter   INTEGER NOT NULL
);
INSERT INTO tenant_case_change (tenant_id, counter) SELECT id, 0 FROM tenant;

CREATE TRIGGER procedure_changes_insert AFTER INSERT ON procedure BEGIN
    INSERT OR IGNORE INTO tenant_case_change (tenant_id, counter) VALUES (NEW.tenant_id, 0);
    UPDATE tenant_case_change SET counter = counter + 1 WHERE tenant_id = NEW.tenant_id;
END;
CREATE TRIGGER procedure_changes_update AFTER UPDATE ON procedure BEGIN
    INSERT OR IGNORE INTO tenant_case_change (tenant_id, counter) VALUES (NEW.tenant_id, 0);
    UPDATE tenant_case_change SET counter = counter + 1 WHERE tenant_id = NEW.tenant_id;
END;
CREATE TRIGGER procedure_changes_delete AFTER DELETE ON procedure BEGIN
    UPDATE tenant_case_change SET counter = counter + 1 WHERE tenant_id = OLD.tenant_id;
END;

CREATE TRIGGER case_record_changes_insert AFTER INSERT ON case_record BEGIN
    INSERT OR IGNORE INTO tenant_case_change (tenant_id, counter) VALUES (NEW.tenant_id, 0);
    UPDATE tenant_case_change SET counter = counter + 1 WHERE tenant_id = NEW.tenant_id;
END;
CREATE TRIGGER case_record_changes_update AFTER UPDATE ON case_record BEGIN
    INSERT OR IGNORE INTO tenant_case_change (tenant_id, counter) VALUES (NEW.tenant_id, 0);
    UPDATE tenant_case_change SET counter = counter + 1 WHERE tenant_id = NEW.tenant_id;
END;
CREATE TRIGGER case_record_changes_delete AFTER DELETE ON case_record BEGIN
    UPDATE tenant_case_change SET counter = counter + 1 WHERE tenant_id = OLD.tenant_id;
END;

-- Forms: who filed a form A reaches its case (need-to-know), and forms are part of what a case is.
CREATE TRIGGER procedure_form_changes_insert AFTER INSERT ON procedure_form BEGIN
    INSERT OR IGNORE INTO tenant_case_change (tenant_id, counter) VALUES (NEW.tenant_id, 0);
    UPDATE tenant_case_change SET counter = counter + 1 WHERE tenant_id = NEW.tenant_id;
END;
CREATE TRIGGER procedure_form_changes_update AFTER UPDATE ON procedure_form BEGIN
    INSERT OR IGNORE INTO tenant_case_change (tenant_id, counter) VALUES (NEW.tenant_id, 0);
    UPDATE tenant_case_change SET counter = counter + 1 WHERE tenant_id = NEW.tenant_id;
END;
CREATE TRIGGER procedure_form_changes_delete AFTER DELETE ON procedure_form BEGIN
    UPDATE tenant_case_change SET counter = counter + 1 WHERE tenant_id = OLD.tenant_id;
END;

-- A group's members have no tenant column: the case's tells it (gone already when the case itself is erased, whose
-- own deletion moves the counter).
CREATE TRIGGER group_member_changes_insert AFTER INSERT ON group_member BEGIN
    UPDATE tenant_case_change SET counter = counter + 1
        WHERE tenant_id = (SELECT tenant_id FROM procedure WHERE id = NEW.procedure_id);
END;
CREATE TRIGGER group_member_changes_update AFTER UPDATE ON group_member BEGIN
    UPDATE tenant_case_change SET counter = counter + 1
        WHERE tenant_id = (SELECT tenant_id FROM procedure WHERE id = NEW.procedure_id);
END;
CREATE TRIGGER group_member_changes_delete AFTER DELETE ON group_member BEGIN
    UPDATE tenant_case_change SET counter = counter + 1
        WHERE tenant_id = (SELECT tenant_id FROM procedure WHERE id = OLD.procedure_id);
END;

-- A group member's home page asks which running cases they reach as the one who filed a form A; a member types many
-- forms C and D too (18,768 for the demo's member), and without the kind in the index each was read to be skipped.
CREATE INDEX procedure_form_initiator ON procedure_form (entered_by, kind, procedure_id);
-- The statutory set's kept figures check a fingerprint of the municipality's procedures (count, sum of versions,
-- newest); these columns in one index let it be read without the rows.
CREATE INDEX procedure_tenant_fingerprint ON procedure (tenant_id, version, created_at);
