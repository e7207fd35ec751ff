-- The municipal programme (issue 5): the programme of a municipality for its period, its versions (the council
-- amends it by resolution; each version applies from a date and holds the whole structure — goals, tasks,
-- responsible institutions, time frames, indicators and yearly targets — as one JSON document,
-- domain::programme::ProgrammeContent), the values institutions enter for the indicators assigned to them, and the
-- team's narrative of the annual report. None of it is personal data: institutions, figures and the team's prose
-- about its work (the narrative must not name persons; the page says so). Kept in clear.
-- Calendar dates (applies_from) are ISO text (YYYY-MM-DD) in both engines. SQLite twin of postgres/0007_programme.sql.

CREATE TABLE programme (
    id          BLOB PRIMARY KEY,
    tenant_id   BLOB NOT NULL REFERENCES tenant (id),
    title       TEXT NOT NULL,
    period_from INTEGER NOT NULL,
    period_to   INTEGER NOT NULL,
    created_at  TEXT NOT NULL,
    UNIQUE (tenant_id, period_from)
);

CREATE TABLE programme_version (
    id           BLOB PRIMARY KEY,
    programme_id BLOB NOT NULL REFERENCES programme (id),
    number       INTEGER NOT NULL,
    applies_from TEXT NOT NULL,
    -- The council's resolution that adopted or amended it ("Uchwała nr XII/97/2024 z dnia …").
    resolution   TEXT NOT NULL,
    content      TEXT NOT NULL,
    created_by   BLOB REFERENCES account (id),
    created_at   TEXT NOT NULL,
    UNIQUE (programme_id, number)
);

-- One institution's value of one indicator for one year. The indicator's id is stable across versions.
CREATE TABLE indicator_entry (
    programme_id   BLOB NOT NULL REFERENCES programme (id),
    indicator_id   TEXT NOT NULL,
    year           INTEGER NOT NULL,
    institution_id BLOB NOT NULL REFERENCES institution (id),
    value          BIGINT NOT NULL,
    note           TEXT,
    entered_by     BLOB REFERENCES account (id),
    entered_at     TEXT NOT NULL,
    version        INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (programme_id, indicator_id, year, institution_id)
);

-- The team's text for a goal or a task (node_id) in one year's report.
CREATE TABLE report_narrative (
    programme_id BLOB NOT NULL REFERENCES programme (id),
    year         INTEGER NOT NULL,
    node_id      TEXT NOT NULL,
    body         TEXT NOT NULL,
    updated_by   BLOB REFERENCES account (id),
    updated_at   TEXT NOT NULL,
    version      INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (programme_id, year, node_id)
);

-- The indicators count forms by kind and date within a municipality.
CREATE INDEX procedure_form_tenant_kind ON procedure_form (tenant_id, kind, filled_at);
