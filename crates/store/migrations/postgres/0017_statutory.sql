-- The statutory figures (issue 15, items 10–11). PostgreSQL twin of sqlite/0017_statutory.sql.

-- A line of the statutory set only an institution knows (children secured under art. 12a until the placement record
-- exists): one value per municipality, year and line, entered as programme indicators are.
CREATE TABLE statutory_entry (
    tenant_id   UUID NOT NULL REFERENCES tenant (id),
    year        INTEGER NOT NULL,
    line_id     TEXT NOT NULL,
    value       BIGINT NOT NULL,
    entered_by  UUID REFERENCES account (id),
    entered_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tenant_id, year, line_id)
);

-- An approved version of a year's statutory figures, frozen: figures is the JSON of every line (figures only, no
-- personal data); gaps the completeness check's counts at approval; reason the chair's written reason when there
-- were gaps, or the corrections' reason on a re-approval.
CREATE TABLE statutory_approval (
    tenant_id   UUID NOT NULL REFERENCES tenant (id),
    year        INTEGER NOT NULL,
    version     INTEGER NOT NULL,
    figures     TEXT NOT NULL,
    gaps        TEXT NOT NULL,
    reason      TEXT,
    approved_by UUID REFERENCES account (id),
    approved_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tenant_id, year, version)
);

-- Of a training's participants, how many were team members and how many support group members (RPPPD 4.3.2).
ALTER TABLE activity ADD COLUMN team_members_trained INTEGER NOT NULL DEFAULT 0;
ALTER TABLE activity ADD COLUMN group_members_trained INTEGER NOT NULL DEFAULT 0;

-- The persons a form A names, as the statutory count reads them (match keys, sex, birth date, marks, forms of
-- violence), encrypted like the form itself: forms are never edited, so the count decrypts this small record
-- instead of validating the whole form again each time. Filled by the first count that reads the form.
CREATE TABLE statutory_form_persons (
    form_id     UUID PRIMARY KEY REFERENCES procedure_form (id),
    tenant_id   UUID NOT NULL REFERENCES tenant (id),
    persons_enc BYTEA NOT NULL
);
