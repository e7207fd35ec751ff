-- The filtered case list (phase, opening date, newest first) and the need-to-know branches of its query: cases a
-- person opened, and cases in which they filed a form. SQLite twin of postgres/0003_case_list.sql.

-- "Cases of this municipality in this phase, newest first": the filter the team uses most.
CREATE INDEX procedure_tenant_phase_opened ON procedure (tenant_id, phase, opened_at);
-- An initiator's own cases.
CREATE INDEX procedure_initiator ON procedure (initiator_id);
-- "Did this account file a form in this case?" (need-to-know for services that attached a further form A).
CREATE INDEX procedure_form_entered_by ON procedure_form (entered_by, procedure_id);
