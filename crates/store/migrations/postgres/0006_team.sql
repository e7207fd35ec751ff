-- The team's own registers (issue 5): its appointing order, its members, its meetings with attendance, the directory
-- of help, and the register of prevention and training activities. The programme's indicators count these rows.
-- Members' names and contacts and the meetings' minutes are personal data: one encrypted JSON document per row
-- (details_enc, body_enc); in clear only what rules, reminders and counts need. The directory of help describes
-- institutions, not persons, and is published on the public /pomoc page: it is kept in clear.
-- Calendar dates (issued_on, appointed_on, held_on, last_checked_on, …) are ISO text (YYYY-MM-DD) in both engines,
-- so they sort and compare as text and bind the same way on SQLite and PostgreSQL.
-- PostgreSQL twin of sqlite/0006_team.sql.

-- The mayor's order appointing the team (zarządzenie: number and date), and its amendments.
CREATE TABLE team_order (
    id         UUID PRIMARY KEY,
    tenant_id  UUID NOT NULL REFERENCES tenant (id),
    number     TEXT NOT NULL,
    issued_on  TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);

-- A member of the team: the institution they represent and their function in the team (chair, deputy_chair,
-- secretary, member); term, the confidentiality declaration (no access to case data before it is signed), the
-- mandatory training (within 12 months of appointment) and whether they coordinate support groups.
CREATE TABLE team_member (
    id                        UUID PRIMARY KEY,
    tenant_id                 UUID NOT NULL REFERENCES tenant (id),
    account_id                UUID REFERENCES account (id),
    institution_id            UUID REFERENCES institution (id),
    order_id                  UUID REFERENCES team_order (id),
    function                  TEXT NOT NULL,
    details_enc               BYTEA NOT NULL,
    appointed_on              TEXT NOT NULL,
    term_ends_on              TEXT,
    confidentiality_signed_on TEXT,
    training_completed_on     TEXT,
    group_coordinator         BOOLEAN NOT NULL DEFAULT FALSE,
    left_on                   TEXT,
    created_at                TIMESTAMPTZ NOT NULL,
    updated_at                TIMESTAMPTZ NOT NULL,
    version                   BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX team_member_tenant ON team_member (tenant_id, left_on);

-- A meeting of the team (at least once every two months, members informed 7 days ahead): in person or remote.
-- status: planned, held, cancelled. Place or link, agenda, minutes and resolutions are in body_enc.
CREATE TABLE team_meeting (
    id           UUID PRIMARY KEY,
    tenant_id    UUID NOT NULL REFERENCES tenant (id),
    scheduled_at TIMESTAMPTZ NOT NULL,
    mode         TEXT NOT NULL,
    status       TEXT NOT NULL,
    held_at      TIMESTAMPTZ,
    notice_sent_at TIMESTAMPTZ,
    body_enc     BYTEA NOT NULL,
    created_by   UUID REFERENCES account (id),
    created_at   TIMESTAMPTZ NOT NULL,
    updated_at   TIMESTAMPTZ NOT NULL,
    version      BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX team_meeting_tenant ON team_meeting (tenant_id, status, scheduled_at);

-- Who came to a team meeting. status: present, excused (absence notified in time, 2 working days ahead),
-- unexcused; three unexcused absences draft a letter to the member's institution.
CREATE TABLE team_meeting_attendance (
    meeting_id          UUID NOT NULL REFERENCES team_meeting (id),
    member_id           UUID NOT NULL REFERENCES team_member (id),
    status              TEXT NOT NULL,
    absence_notified_at TIMESTAMPTZ,
    -- A late notice excused by special circumstances (art. 9a ust. 7f), as the chair decided.
    special_circumstances BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (meeting_id, member_id)
);

-- The directory of help (baza instytucji i form wsparcia). help_kinds: space-separated keys (psychological, legal,
-- social, medical, shelter, crisis_intervention, helpline, programme_for_persons_using_violence, …); languages:
-- space-separated ISO 639-1 codes. is_public: shown on the public /pomoc page. last_checked_on: the yearly review.
CREATE TABLE help_directory_entry (
    id              UUID PRIMARY KEY,
    tenant_id       UUID NOT NULL REFERENCES tenant (id),
    institution_id  UUID REFERENCES institution (id),
    name            TEXT NOT NULL,
    help_kinds      TEXT NOT NULL,
    address         TEXT,
    opening_hours   TEXT,
    phone           TEXT,
    email           TEXT,
    website         TEXT,
    languages       TEXT,
    accessibility   TEXT,
    description     TEXT,
    is_public       BOOLEAN NOT NULL DEFAULT TRUE,
    last_checked_on TEXT NOT NULL,
    archived_at     TIMESTAMPTZ,
    created_at      TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL,
    version         BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX help_directory_entry_tenant ON help_directory_entry (tenant_id, archived_at);

-- The register of prevention and training: kind is campaign, workshop, training, conference, supervision,
-- training_needs_diagnosis or other; participants and materials handed out feed the programme's indicators.
CREATE TABLE activity (
    id             UUID PRIMARY KEY,
    tenant_id      UUID NOT NULL REFERENCES tenant (id),
    kind           TEXT NOT NULL,
    held_on        TEXT NOT NULL,
    title          TEXT NOT NULL,
    organiser      TEXT,
    audience       TEXT,
    participants   BIGINT NOT NULL DEFAULT 0,
    materials_handed_out BIGINT NOT NULL DEFAULT 0,
    notes          TEXT,
    version        BIGINT  NOT NULL DEFAULT 1,
    created_by     UUID REFERENCES account (id),
    created_at     TIMESTAMPTZ NOT NULL,
    updated_at     TIMESTAMPTZ NOT NULL
);
CREATE INDEX activity_tenant ON activity (tenant_id, held_on);
