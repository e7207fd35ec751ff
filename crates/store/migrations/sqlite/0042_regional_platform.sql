-- The regional cooperation platform (issue 17 item 7; seed 004, the Małopolska "Regionalna Platforma Współpracy"):
-- the regional group, its meetings, the library of good practice, the register of key difficulties and the region's
-- announcements. SQLite twin of postgres/0042_regional_platform.sql. Every table belongs to a voivodeship's tenant
-- (tenant_id); nothing here refers to a case or a person in a case. Calendar dates are ISO text (YYYY-MM-DD).

-- A member of the regional group: level (region, county, municipality, police, expert) and institution in clear
-- (institutions are public); the person's name, function and e-mail are one encrypted JSON document (details_enc),
-- whose reads are audited. account_id: an invited expert's limited account, when there is one.
CREATE TABLE region_group_member (
    id          BLOB PRIMARY KEY,
    tenant_id   BLOB NOT NULL REFERENCES tenant (id),
    level       TEXT NOT NULL,
    institution TEXT NOT NULL,
    details_enc BLOB NOT NULL,
    account_id  BLOB REFERENCES account (id),
    joined_on   TEXT NOT NULL,
    left_on     TEXT,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    version     INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX region_group_member_tenant ON region_group_member (tenant_id);

-- A meeting of the regional group. held_on is the real day (a meeting ahead is planned; its minutes wait for the
-- day). mode: in_person or remote. Topic, agenda, place, remote link and minutes name officials: encrypted (body_enc).
CREATE TABLE region_meeting (
    id                  BLOB PRIMARY KEY,
    tenant_id           BLOB NOT NULL REFERENCES tenant (id),
    held_on             TEXT NOT NULL,
    mode                TEXT NOT NULL,
    body_enc            BLOB NOT NULL,
    minutes_recorded_on TEXT,
    created_by          BLOB REFERENCES account (id),
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL,
    version             INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX region_meeting_tenant ON region_meeting (tenant_id, held_on);

-- Who of the group was at a meeting.
CREATE TABLE region_meeting_attendance (
    meeting_id BLOB NOT NULL REFERENCES region_meeting (id),
    member_id  BLOB NOT NULL REFERENCES region_group_member (id),
    PRIMARY KEY (meeting_id, member_id)
);

-- A document of good practice: a text or a link, its tags (space-separated), the municipality it comes from (TERYT,
-- optional), its year and who may read it (audience: region = the voivodeship's accounts, counties = also the
-- counties' coordinators, all = also the municipalities' teams). Institutional knowledge, no persons: in clear.
CREATE TABLE region_practice (
    id           BLOB PRIMARY KEY,
    tenant_id    BLOB NOT NULL REFERENCES tenant (id),
    title        TEXT NOT NULL,
    summary      TEXT NOT NULL,
    link         TEXT,
    tags         TEXT NOT NULL DEFAULT '',
    municipality TEXT,
    year         INTEGER NOT NULL,
    audience     TEXT NOT NULL CHECK (audience IN ('region', 'counties', 'all')),
    created_by   BLOB REFERENCES account (id),
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    version      INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX region_practice_tenant ON region_practice (tenant_id, year);

-- A key difficulty raised by a municipality's team or a county (raised_by_tenant) with the region, and the common
-- solution the region works out. status: raised, in_progress, solved, declined. Institutional, never case data (the
-- form says so): in clear.
CREATE TABLE region_difficulty (
    id               BLOB PRIMARY KEY,
    tenant_id        BLOB NOT NULL REFERENCES tenant (id),
    raised_by_tenant BLOB NOT NULL REFERENCES tenant (id),
    raised_by        BLOB REFERENCES account (id),
    raised_on        TEXT NOT NULL,
    title            TEXT NOT NULL,
    description      TEXT NOT NULL,
    status           TEXT NOT NULL CHECK (status IN ('raised', 'in_progress', 'solved', 'declined')),
    solution         TEXT,
    solution_on      TEXT,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    version          INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX region_difficulty_tenant ON region_difficulty (tenant_id, raised_by_tenant);

-- A one-line announcement of the region, shown on the home page of its counties' and municipalities' accounts from
-- shown_from until expires_on (inclusive), unless the account dismissed it.
CREATE TABLE region_announcement (
    id         BLOB PRIMARY KEY,
    tenant_id  BLOB NOT NULL REFERENCES tenant (id),
    text       TEXT NOT NULL,
    shown_from TEXT NOT NULL,
    expires_on TEXT NOT NULL,
    created_by BLOB REFERENCES account (id),
    created_at TEXT NOT NULL
);
CREATE INDEX region_announcement_tenant ON region_announcement (tenant_id, expires_on);

CREATE TABLE region_announcement_dismissal (
    announcement_id BLOB NOT NULL REFERENCES region_announcement (id),
    account_id      BLOB NOT NULL REFERENCES account (id),
    dismissed_at    TEXT NOT NULL,
    PRIMARY KEY (announcement_id, account_id)
);
