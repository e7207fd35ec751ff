-- Retention with logged erasure (issue 20, item 5). PostgreSQL twin of sqlite/0027_retention.sql.

-- The municipality's retention period for each kind of record (domain::retention: defaults and bounds as data), in
-- the kind's unit (years or days). Set by its data protection officer; no row means the default.
CREATE TABLE tenant_retention_setting (
    tenant_id  UUID NOT NULL REFERENCES tenant (id),
    kind       TEXT NOT NULL CHECK (kind IN ('procedure', 'form_draft', 'audit_entry', 'departed_account')),
    amount     INTEGER NOT NULL CHECK (amount > 0),
    updated_by UUID REFERENCES account (id),
    updated_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tenant_id, kind)
);

-- One erasure approved by the data protection officer: what kind of record, its id (no reference: the row is gone),
-- the case number (a register number, not the case's content; empty for an account), the last day of its period,
-- the moment the officer gives, when it was recorded, by whom, and the officer's comment (free text, encrypted).
CREATE TABLE erasure (
    id              UUID PRIMARY KEY,
    tenant_id       UUID NOT NULL REFERENCES tenant (id),
    kind            TEXT NOT NULL CHECK (kind IN ('procedure', 'departed_account')),
    object_id       UUID NOT NULL,
    label           TEXT NOT NULL,
    period_ended_on TEXT NOT NULL,
    erased_at       TIMESTAMPTZ NOT NULL,
    recorded_at     TIMESTAMPTZ NOT NULL,
    approved_by     UUID NOT NULL REFERENCES account (id),
    comment_enc     BYTEA NOT NULL,
    UNIQUE (tenant_id, kind, object_id)
);
CREATE INDEX erasure_tenant ON erasure (tenant_id, erased_at);

-- The anonymous statistical trace of erased procedures: per municipality, year and line of the statutory set, what
-- the erased procedures counted for there at their erasure (the figures without them subtracted from the figures
-- with them). The live set adds it back, so a year's figures, approved or not, stay what they were. Numbers only,
-- summed over every erasure, so no row tells what one case counted for.
CREATE TABLE statutory_erased (
    tenant_id UUID NOT NULL REFERENCES tenant (id),
    year      INTEGER NOT NULL,
    line_id   TEXT NOT NULL,
    value     BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, year, line_id)
);
