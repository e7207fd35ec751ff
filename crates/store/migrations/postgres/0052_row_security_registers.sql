-- Issue 17, item 6, second step: the row-level security of 0041 (postgres/0041_row_security.sql) extended to the
-- tables of a municipality's team, programme and registers that hold names or free text about people, and to the
-- account tables 0041 left for later. Same policy, same settings (ostoja.tenant, ostoja.bypass), same function
-- ostoja_row_visible; FORCE holds the owner Ostoja connects as. The SQLite twin changes nothing.
--
-- Protected here, by their own tenant_id:
--   team_order, team_member, team_meeting, team_recommendation, team_project, team_agreement, team_document,
--   team_document_version, team_document_acknowledgement, team_member_training, team_coordinator, working_group,
--   working_group_task, working_group_meeting, activity: the team's registers (members' names and contacts, minutes,
--     trainings, recommendations, free-text notes), read and written only by the municipality's own requests, its
--     reminders (a scheduler job) and key rotation (crossing tenants by name);
--   programme: the municipality's programme; the county's and region's figures across municipalities are read
--     through all_tenants_indicators, which crosses tenants by name;
--   account_confidentiality: who signed a confidentiality declaration (art. 9c ust. 3), by account;
--   account_reset_request: an administrator's reset waiting for the chair; the administrator's request acts for no
--     municipality and narrows its transaction to the account's (Tx::act_for) before it writes the request;
--   email_outbox: a notification's e-mail on its way (whom, about which case); sent by the outbox job;
--   erasure: what retention erased, with the approver's comment.
-- Protected through their parent (a row is visible when its parent is; the parent's policy applies inside EXISTS):
--   team_meeting_attendance (team_meeting), working_group_member (working_group), working_group_attendance
--   (working_group_meeting), programme_version, indicator_entry, report_narrative (programme).
--
-- Left outside the wall, and why:
--   help_directory_entry, accessibility_statement: published on the municipality's public pages, read by anonymous
--     visitors whose requests act for no municipality; nothing in them is about a person in a case;
--   institution: names of institutions, read at log-in and by the administrator's forms across municipalities;
--   tenant_clock_setting, tenant_retention_setting, tenant_case_change: settings and a counter, no person;
--   statutory_*, regional_report, county_programme_edition, county_referral_reference, county_certificate,
--     region_*: the county's and region's own registers and figures, read across municipalities by the county and the
--     region (their tenant is the county or region, the rows' subject the municipalities); they need a policy that
--     knows the territorial hierarchy, not one tenant: a later step;
--   the identity, audit and key tables: as 0041 says.

DO $$
DECLARE
    protected TEXT;
BEGIN
    FOREACH protected IN ARRAY ARRAY[
        'team_order', 'team_member', 'team_meeting', 'team_recommendation', 'team_project', 'team_agreement',
        'team_document', 'team_document_version', 'team_document_acknowledgement', 'team_member_training',
        'team_coordinator', 'working_group', 'working_group_task', 'working_group_meeting', 'activity', 'programme',
        'account_confidentiality', 'account_reset_request', 'email_outbox', 'erasure'
    ] LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', protected);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', protected);
        EXECUTE format(
            'CREATE POLICY one_tenant ON %I USING (ostoja_row_visible(tenant_id)) WITH CHECK (ostoja_row_visible(tenant_id))',
            protected);
    END LOOP;
END $$;

-- Tables that hang off a protected parent: (table, its column naming the parent, the parent table).
DO $$
DECLARE
    child TEXT[];
BEGIN
    FOREACH child SLICE 1 IN ARRAY ARRAY[
        ARRAY['team_meeting_attendance', 'meeting_id', 'team_meeting'],
        ARRAY['working_group_member', 'group_id', 'working_group'],
        ARRAY['working_group_attendance', 'meeting_id', 'working_group_meeting'],
        ARRAY['programme_version', 'programme_id', 'programme'],
        ARRAY['indicator_entry', 'programme_id', 'programme'],
        ARRAY['report_narrative', 'programme_id', 'programme']
    ] LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', child[1]);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', child[1]);
        EXECUTE format(
            'CREATE POLICY one_tenant ON %1$I USING (EXISTS (SELECT 1 FROM %3$I p WHERE p.id = %1$I.%2$I)) '
            'WITH CHECK (EXISTS (SELECT 1 FROM %3$I p WHERE p.id = %1$I.%2$I))',
            child[1], child[2], child[3]);
    END LOOP;
END $$;
