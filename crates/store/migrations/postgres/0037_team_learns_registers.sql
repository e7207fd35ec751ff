-- The team learns from its work (issue 18, items 3–4): its recommendations to the mayor and the projects and
-- co-financed programmes it runs. PostgreSQL twin of sqlite/0037_team_learns_registers.sql.
-- Calendar dates are ISO text (YYYY-MM-DD) in both engines, as in 0006_team.sql.

-- A conclusion or recommendation the team presents to the mayor (art. 9b ust. 2 pkt 1; seed 000): the year whose
-- annual report carries it, its status, the day it was presented and the day the mayor answered. The addressee, the
-- recommendation, its justification, the mayor's response and the follow-up the next year are free text that may
-- name people: one encrypted JSON document (body_enc). status: draft, submitted, accepted, partly_accepted,
-- rejected, implemented.
CREATE TABLE team_recommendation (
    id           UUID PRIMARY KEY,
    tenant_id    UUID NOT NULL REFERENCES tenant (id),
    year         INTEGER NOT NULL,
    status       TEXT NOT NULL,
    submitted_on TEXT,
    responded_on TEXT,
    body_enc     BYTEA NOT NULL,
    created_by   UUID REFERENCES account (id),
    created_at   TIMESTAMPTZ NOT NULL,
    updated_at   TIMESTAMPTZ NOT NULL,
    version      BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX team_recommendation_tenant ON team_recommendation (tenant_id, year);

-- A project or co-financed programme (seed 002): describes institutions, money and results, never persons, so it is
-- kept in clear and counted. funder: ministry, voivodeship, county, municipality, eu, other. Amounts in grosze
-- (spending above the grant is accepted; the page warns). programme_nodes: the programme's task and indicator ids it
-- serves, space-separated, in the programme programme_id.
CREATE TABLE team_project (
    id               UUID PRIMARY KEY,
    tenant_id        UUID NOT NULL REFERENCES tenant (id),
    title            TEXT NOT NULL,
    funder           TEXT NOT NULL,
    funder_name      TEXT,
    starts_on        TEXT NOT NULL,
    ends_on          TEXT,
    amount_granted   BIGINT NOT NULL DEFAULT 0,
    amount_spent     BIGINT NOT NULL DEFAULT 0,
    partners         TEXT,
    target_group     TEXT,
    planned_results  TEXT,
    achieved_results TEXT,
    programme_id     UUID REFERENCES programme (id),
    programme_nodes  TEXT NOT NULL DEFAULT '',
    created_by       UUID REFERENCES account (id),
    created_at       TIMESTAMPTZ NOT NULL,
    updated_at       TIMESTAMPTZ NOT NULL,
    version          BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX team_project_tenant ON team_project (tenant_id, starts_on);
