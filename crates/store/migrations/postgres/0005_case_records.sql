-- The support group's own records of a case (domain::forms::records): meetings with their minutes, support-plan
-- items, home visits, letters, protective measures, the hand-over of form B, monitoring checks, breach reasons.
-- The content is personal data throughout and is one encrypted JSON document per record; beside it, in clear, only
-- what lists, rules and statistics need without decrypting: the kind, its date, its status and one categorical tag
-- (with whom a meeting is, a letter's addressee…). PostgreSQL twin of sqlite/0005_case_records.sql.

CREATE TABLE case_record (
    id           UUID PRIMARY KEY,
    procedure_id UUID NOT NULL REFERENCES procedure (id),
    tenant_id    UUID NOT NULL REFERENCES tenant (id),
    kind         TEXT NOT NULL,
    -- When it happened or is planned (a meeting's start, a visit's day at midnight in Poland).
    occurs_at    TIMESTAMPTZ NOT NULL,
    -- A meeting's planned end, for the rule that keeps the two persons apart.
    ends_at      TIMESTAMPTZ,
    -- A meeting: planned, held, cancelled; other records: recorded.
    status       TEXT NOT NULL,
    tag          TEXT,
    body_enc     BYTEA NOT NULL,
    created_by   UUID REFERENCES account (id),
    created_at   TIMESTAMPTZ NOT NULL,
    updated_at   TIMESTAMPTZ NOT NULL,
    -- Optimistic concurrency for records that are edited (a plan item at each review, a meeting's minutes).
    version      BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX case_record_procedure ON case_record (procedure_id, kind, occurs_at);
-- Meetings ahead on the dashboards, and counts for the programme's indicators.
CREATE INDEX case_record_tenant_kind ON case_record (tenant_id, kind, occurs_at);

-- The category of the person who filled the opening form A (art. 9a ust. 11–11d; not personal data): whether the
-- Police opened the procedure decides who notifies the firearms unit (art. 9f ust. 2).
ALTER TABLE procedure ADD COLUMN initiator_category TEXT;
-- On what basis the group was appointed: a decision of the team, or the chair under a delegation in the team's
-- rules (art. 9a ust. 10a, 6b).
ALTER TABLE procedure ADD COLUMN group_basis TEXT;
