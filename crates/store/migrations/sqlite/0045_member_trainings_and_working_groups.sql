-- Members' qualifications and coordinators; the team's working groups (issue 18, items 6–7). SQLite twin of
-- postgres/0045_member_trainings_and_working_groups.sql. Calendar dates are ISO text (YYYY-MM-DD) in both engines, as in 0006_team.sql.

-- A member's training history (issue 18 item 6) instead of the one date team_member.training_completed_on: the
-- mandatory training under the act (art. 9a ust. 5a), further trainings, the "Studium" of the first and second degree
-- and specialisations (seed 002). kind: mandatory, further, studium_first_degree, studium_second_degree,
-- specialisation. Title, organiser, dates and hours describe the course and are counted in clear (the statutory set's
-- "members trained"); the certificate's number identifies the person and is sealed (certificate_enc). title is NULL
-- only on an entry carried over from the single date, whose course was never recorded.
CREATE TABLE team_member_training (
    id              BLOB      PRIMARY KEY,
    tenant_id       BLOB      NOT NULL REFERENCES tenant (id),
    member_id       BLOB      NOT NULL REFERENCES team_member (id),
    kind            TEXT NOT NULL,
    title           TEXT,
    organiser       TEXT,
    starts_on       TEXT,
    completed_on    TEXT NOT NULL,
    hours           INTEGER,
    certificate_enc BLOB,
    created_by      BLOB      REFERENCES account (id),
    created_at      TEXT      NOT NULL
);
CREATE INDEX team_member_training_member ON team_member_training (tenant_id, member_id);
CREATE INDEX team_member_training_completed ON team_member_training (tenant_id, completed_on);

-- Every date already recorded becomes one mandatory entry, so nothing is lost and the 12-month clock reads the same.
-- The entry takes its member's id as its own: unique (one entry per member here), the same on both engines, and
-- a re-run of the data cannot duplicate it. The old column is no longer written; a later release drops it (expand,
-- then contract: crates/store/migrations/README.md).
INSERT INTO team_member_training (id, tenant_id, member_id, kind, completed_on, created_at)
SELECT id, tenant_id, id, 'mandatory', training_completed_on, created_at
FROM team_member WHERE training_completed_on IS NOT NULL;

-- Coordinators per area of the team's work (seed 002): area is a key of domain::team::CoordinationArea; a member may
-- coordinate several areas and an area may have several coordinators.
CREATE TABLE team_coordinator (
    tenant_id BLOB      NOT NULL REFERENCES tenant (id),
    area      TEXT NOT NULL,
    member_id BLOB      NOT NULL REFERENCES team_member (id),
    PRIMARY KEY (tenant_id, area, member_id)
);

-- The team's thematic working groups (issue 18 item 7; seeds 000 and 001), apart from the support groups of cases:
-- they hold no case data. Name and purpose describe the work, not persons, and stay in clear. chair_member_id: the
-- team member who leads it (manages its members); established_on: the day the team set it up (a real date; its
-- meetings cannot precede it).
CREATE TABLE working_group (
    id              BLOB      PRIMARY KEY,
    tenant_id       BLOB      NOT NULL REFERENCES tenant (id),
    name            TEXT NOT NULL,
    purpose         TEXT,
    chair_member_id BLOB      REFERENCES team_member (id),
    established_on  TEXT NOT NULL,
    closed_on       TEXT,
    created_by      BLOB      REFERENCES account (id),
    created_at      TEXT      NOT NULL,
    updated_at      TEXT      NOT NULL,
    version         INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX working_group_tenant ON working_group (tenant_id, closed_on);

-- The team members in a working group (its chair among them).
CREATE TABLE working_group_member (
    group_id  BLOB      NOT NULL REFERENCES working_group (id),
    member_id BLOB      NOT NULL REFERENCES team_member (id),
    PRIMARY KEY (group_id, member_id)
);
CREATE INDEX working_group_member_member ON working_group_member (member_id);

-- A working group's task: owner (a team member), due date, status (open, in_progress, done, dropped).
CREATE TABLE working_group_task (
    id              BLOB      PRIMARY KEY,
    tenant_id       BLOB      NOT NULL REFERENCES tenant (id),
    group_id        BLOB      NOT NULL REFERENCES working_group (id),
    title           TEXT NOT NULL,
    owner_member_id BLOB      REFERENCES team_member (id),
    due_on          TEXT,
    status          TEXT NOT NULL,
    created_at      TEXT      NOT NULL,
    updated_at      TEXT      NOT NULL,
    version         INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX working_group_task_group ON working_group_task (group_id, status);

-- A meeting of a working group: the day it was held (validated: not in the future, not before the group was set
-- up); its agenda and minutes may name people, so they are one sealed JSON document (body_enc).
CREATE TABLE working_group_meeting (
    id         BLOB      PRIMARY KEY,
    tenant_id  BLOB      NOT NULL REFERENCES tenant (id),
    group_id   BLOB      NOT NULL REFERENCES working_group (id),
    held_on    TEXT NOT NULL,
    body_enc   BLOB NOT NULL,
    created_by BLOB      REFERENCES account (id),
    created_at TEXT      NOT NULL,
    updated_at TEXT      NOT NULL,
    version    INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX working_group_meeting_group ON working_group_meeting (group_id, held_on);

-- Who of the group's members attended a meeting.
CREATE TABLE working_group_attendance (
    meeting_id BLOB      NOT NULL REFERENCES working_group_meeting (id),
    member_id  BLOB      NOT NULL REFERENCES team_member (id),
    PRIMARY KEY (meeting_id, member_id)
);
