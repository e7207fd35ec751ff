-- The statutory figures' speed (issue 15). SQLite twin of postgres/0019_command_kind.sql.

-- procedure_command.kind: the command's stable name (domain Command::as_str: "close", "appoint_group",
-- "extend_group"…), clear like the command itself (no personal data), so the figures select steps by an indexed
-- equality instead of LIKE over the JSON text. The store writes it with every step; the rows before this migration
-- take it from their command, which is clear JSON tagged "command" (a group change by its nested "change" tag).
-- SQLite cannot make an added column NOT NULL without a default: '' is never a command's name.
-- In the same pass: steps written by the bulk path (synthetic demo data) had no moment of entry; they were entered
-- with their procedure.
ALTER TABLE procedure_command ADD COLUMN kind TEXT NOT NULL DEFAULT '';
UPDATE procedure_command SET
    kind = CASE json_extract(command, '$.command')
        WHEN 'change_group' THEN CASE json_extract(command, '$.change.change')
            WHEN 'extend' THEN 'extend_group'
            WHEN 'replace' THEN 'replace_group_member'
            ELSE 'name_group_coordinator' END
        ELSE json_extract(command, '$.command') END,
    recorded_at = COALESCE(recorded_at,
        (SELECT p.created_at FROM procedure p WHERE p.id = procedure_command.procedure_id));

-- A procedure's steps of one kind (is it closed, monitored, appointed in a year), and one kind's steps in a period
-- (the year's closings, appointments and referral steps across every procedure).
CREATE INDEX procedure_command_kind ON procedure_command (procedure_id, kind, at, seq);
CREATE INDEX procedure_command_kind_at ON procedure_command (kind, at);

-- The figures read these columns only: from the index alone, without touching the rows and their encrypted bodies.
-- Each supersedes the narrower index it starts with.
CREATE INDEX case_record_figures ON case_record (tenant_id, kind, occurs_at, status, tag);
DROP INDEX case_record_tenant_kind;
CREATE INDEX procedure_form_figures ON procedure_form (tenant_id, kind, filled_at, procedure_id, version, id);
DROP INDEX procedure_form_tenant_kind;
