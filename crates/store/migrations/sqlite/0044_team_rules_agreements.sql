-- The team's rules and agreements (issue 18, item 5). SQLite twin of postgres/0044_team_rules_agreements.sql.
-- Calendar dates are ISO text (YYYY-MM-DD) in both engines, as in 0006_team.sql. None of these rows describes a
-- person: they are the team's own public documents and its agreements with institutions, kept in clear.

-- A document the team adopts and amends by resolution: its rules (kind 'rules', regulamin, art. 9a ust. 6b; one per
-- municipality) or a standard or procedure for institutions (kind 'standard'; seed 000). version guards the list of
-- its versions: adding one bumps it, so two people adding a version at once cannot both win.
CREATE TABLE team_document (
    id         BLOB PRIMARY KEY,
    tenant_id  BLOB NOT NULL REFERENCES tenant (id),
    kind       TEXT NOT NULL,
    title      TEXT NOT NULL,
    created_by BLOB REFERENCES account (id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version    INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX team_document_tenant ON team_document (tenant_id, kind);
-- At most one rules document per municipality; its amendments are versions.
CREATE UNIQUE INDEX team_document_one_rules ON team_document (tenant_id) WHERE kind = 'rules';

-- One version of a document, never changed or removed once written (history is kept, nothing is overwritten):
-- its text, the resolution that adopted it (number and day) and the day it is in force from. number counts the
-- versions of the document from 1.
CREATE TABLE team_document_version (
    id                BLOB PRIMARY KEY,
    tenant_id         BLOB NOT NULL REFERENCES tenant (id),
    document_id       BLOB NOT NULL REFERENCES team_document (id),
    number            INTEGER NOT NULL,
    body              TEXT NOT NULL,
    resolution_number TEXT NOT NULL,
    resolution_on     TEXT NOT NULL,
    in_force_from     TEXT NOT NULL,
    created_by        BLOB REFERENCES account (id),
    created_at        TEXT NOT NULL,
    UNIQUE (document_id, number)
);

-- An institution's acknowledgement of a version of a standard (the day it confirmed it knows and applies it).
CREATE TABLE team_document_acknowledgement (
    id              BLOB PRIMARY KEY,
    tenant_id       BLOB NOT NULL REFERENCES tenant (id),
    version_id      BLOB NOT NULL REFERENCES team_document_version (id),
    institution_id  BLOB NOT NULL REFERENCES institution (id),
    acknowledged_on TEXT NOT NULL,
    created_by      BLOB REFERENCES account (id),
    created_at      TEXT NOT NULL,
    UNIQUE (version_id, institution_id)
);
CREATE INDEX team_document_acknowledgement_institution ON team_document_acknowledgement (institution_id);

-- An agreement between the mayor and a member institution (porozumienie, art. 9a ust. 8): the day it was signed,
-- in force from and (if it lapses) to, its subject, and how many days before the lapse the chair is reminded.
CREATE TABLE team_agreement (
    id             BLOB PRIMARY KEY,
    tenant_id      BLOB NOT NULL REFERENCES tenant (id),
    institution_id BLOB NOT NULL REFERENCES institution (id),
    subject        TEXT NOT NULL,
    signed_on      TEXT NOT NULL,
    in_force_from  TEXT NOT NULL,
    in_force_to    TEXT,
    remind_days    INTEGER NOT NULL DEFAULT 30,
    created_by     BLOB REFERENCES account (id),
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    version        INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX team_agreement_tenant ON team_agreement (tenant_id, in_force_to);
CREATE INDEX team_agreement_institution ON team_agreement (institution_id);
