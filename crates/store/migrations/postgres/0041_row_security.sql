-- Issue 17, item 6: PostgreSQL row-level security as a second wall between municipalities on one installation.
-- Every query filters by tenant itself; these policies make a query that forgets its filter see, change and add only
-- the rows of the tenant the work is done for. The store sets two settings on each connection (row_security.rs):
--   ostoja.tenant  the id of the tenant a request acts for ('' for none: such a connection sees no protected row);
--   ostoja.bypass  'on' only for work that crosses tenants by its nature (migrations, the command line, the
--                  scheduler's jobs, aggregates across municipalities), through the store's named functions.
-- FORCE makes the policies hold for the tables' owner too: Ostoja connects as the owner (docs/operations.md). A
-- superuser or a role with BYPASSRLS is never held; the store warns at start-up when it connects as one.
-- current_setting(…, true) reads NULL for a setting never made, so a fresh connection sees nothing.
-- The SQLite twin changes nothing (sqlite/0041_row_security.sql).
--
-- Protected: the case data and the personal data of the persons in the cases. Tables with a tenant_id are held by
-- it; procedure_command, group_member and field_seal_viewer have none and follow their parent's policy through
-- EXISTS (the parent's own policy applies inside it). Not protected yet, and why:
--   account, session, account_role, one_time_link, api_token, login_throttle: log-in and set-up find the account (and
--     so the tenant) before any tenant is known; the account's tenant is read from them;
--   calendar_feed: a feed is fetched by its token alone, before the tenant is known;
--   audit_entry, audit_head: one hash chain across tenants, appended to by installation events without a tenant;
--   data_key, data_key_rotation: wrapped keys, useless without the master key, read by key rotation across tenants;
--   tenant, territorial_unit, statutory_*, regional_report, area figures: figures, not persons; the county and the
--     region read them across municipalities;
--   team, programme and register tables (team_member, team_meeting, programme, …), account_confidentiality,
--     account_reset_request, email_outbox, erasure: listed for the next step in docs/ARCHITECTURE.md.

-- The policy of a table with its own tenant_id.
CREATE FUNCTION ostoja_row_visible(row_tenant UUID) RETURNS BOOLEAN
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$ SELECT row_tenant = nullif(current_setting('ostoja.tenant', true), '')::uuid
                 OR coalesce(current_setting('ostoja.bypass', true), '') = 'on' $$;

DO $$
DECLARE
    protected TEXT;
BEGIN
    FOREACH protected IN ARRAY ARRAY[
        'procedure', 'procedure_form', 'procedure_number', 'form_a_intake', 'form_draft', 'case_record',
        'case_grant', 'case_release', 'procedure_closing', 'procedure_transfer', 'field_seal', 'person_search',
        'person_match', 'notification'
    ] LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', protected);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', protected);
        EXECUTE format(
            'CREATE POLICY one_tenant ON %I USING (ostoja_row_visible(tenant_id)) WITH CHECK (ostoja_row_visible(tenant_id))',
            protected);
    END LOOP;
END $$;

-- Tables that hang off a procedure or a sealed field: a row is visible when its parent is.
ALTER TABLE procedure_command ENABLE ROW LEVEL SECURITY;
ALTER TABLE procedure_command FORCE ROW LEVEL SECURITY;
CREATE POLICY one_tenant ON procedure_command
    USING (EXISTS (SELECT 1 FROM procedure p WHERE p.id = procedure_command.procedure_id))
    WITH CHECK (EXISTS (SELECT 1 FROM procedure p WHERE p.id = procedure_command.procedure_id));

ALTER TABLE group_member ENABLE ROW LEVEL SECURITY;
ALTER TABLE group_member FORCE ROW LEVEL SECURITY;
CREATE POLICY one_tenant ON group_member
    USING (EXISTS (SELECT 1 FROM procedure p WHERE p.id = group_member.procedure_id))
    WITH CHECK (EXISTS (SELECT 1 FROM procedure p WHERE p.id = group_member.procedure_id));

ALTER TABLE field_seal_viewer ENABLE ROW LEVEL SECURITY;
ALTER TABLE field_seal_viewer FORCE ROW LEVEL SECURITY;
CREATE POLICY one_tenant ON field_seal_viewer
    USING (EXISTS (SELECT 1 FROM field_seal s WHERE s.id = field_seal_viewer.seal_id))
    WITH CHECK (EXISTS (SELECT 1 FROM field_seal s WHERE s.id = field_seal_viewer.seal_id));
