-- The Blue Card procedure: the case, its forms (answers encrypted), its command log (from which the domain's state
-- machine rebuilds the state), the support group's accounts, and blind indexes for recognising the same people.
-- PostgreSQL twin of sqlite/0002_procedure.sql.

CREATE TABLE procedure (
    id           UUID PRIMARY KEY,
    tenant_id    UUID NOT NULL REFERENCES tenant (id),
    -- "NK/2026/0001": numbered per municipality and year.
    number       TEXT NOT NULL,
    form_version TEXT NOT NULL,
    opened_at    TIMESTAMPTZ NOT NULL,
    initiator_id UUID REFERENCES account (id),
    -- The phase as the last command left it, for lists; the command log is the truth.
    phase        TEXT NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL,
    updated_at   TIMESTAMPTZ NOT NULL,
    -- Optimistic concurrency: every change bumps it; a change made against an older version is refused.
    version      BIGINT NOT NULL DEFAULT 1,
    UNIQUE (tenant_id, number)
);
CREATE INDEX procedure_tenant_opened ON procedure (tenant_id, opened_at);

CREATE TABLE procedure_number (
    tenant_id UUID NOT NULL REFERENCES tenant (id),
    year      INTEGER NOT NULL,
    last      BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, year)
);

-- Every form of a procedure. The answers (personal data throughout) are one encrypted JSON document.
CREATE TABLE procedure_form (
    id           UUID PRIMARY KEY,
    procedure_id UUID NOT NULL REFERENCES procedure (id),
    tenant_id    UUID NOT NULL REFERENCES tenant (id),
    kind         TEXT NOT NULL,
    version      TEXT NOT NULL,
    answers_enc  BYTEA NOT NULL,
    filled_at    TIMESTAMPTZ NOT NULL,
    entered_by   UUID REFERENCES account (id),
    created_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX procedure_form_procedure ON procedure_form (procedure_id);

-- The accepted commands, in order, as JSON (domain::procedure::lifecycle::Command).
CREATE TABLE procedure_command (
    procedure_id UUID NOT NULL REFERENCES procedure (id),
    seq          BIGINT NOT NULL,
    command      TEXT NOT NULL,
    at           TIMESTAMPTZ NOT NULL,
    actor_id     UUID REFERENCES account (id),
    PRIMARY KEY (procedure_id, seq)
);

-- Accounts in the procedure's support group (need-to-know: they see the case).
CREATE TABLE group_member (
    procedure_id UUID NOT NULL REFERENCES procedure (id),
    account_id   UUID NOT NULL REFERENCES account (id),
    kind         TEXT NOT NULL,
    PRIMARY KEY (procedure_id, account_id)
);
CREATE INDEX group_member_account ON group_member (account_id);

-- Keyed hashes of "pesel:…" and "name-dob:…" of the persons experiencing and using violence: a new form A about
-- the same people is recognised without anyone's data being readable here.
CREATE TABLE person_match (
    tenant_id    UUID NOT NULL REFERENCES tenant (id),
    key_hash     BYTEA NOT NULL,
    procedure_id UUID NOT NULL REFERENCES procedure (id),
    PRIMARY KEY (tenant_id, key_hash, procedure_id)
);
