-- Sealed fields (issue 20): a person experiencing violence (or a child) of a case can have a kind of data sealed
-- (address, contact, school_or_work, shelter: domain::forms::seal::SealKind). person_key is a keyed hash of the
-- person's normalised name (blind index, purpose 'seal-person'), so the seal covers the field on every form of the
-- case, including forms filled later, and nothing here can be read back. person_name_enc: the name as typed, for the
-- case page's list (encrypted like the forms). The reasons are encrypted too. An unsealed seal keeps its row
-- (unsealed_at, unsealed_by, unseal_reason_enc) for the data protection officer's register.
CREATE TABLE field_seal (
    id                UUID PRIMARY KEY,
    tenant_id         UUID NOT NULL REFERENCES tenant (id),
    procedure_id      UUID NOT NULL REFERENCES procedure (id),
    person_key        BYTEA NOT NULL,
    person_name_enc   BYTEA NOT NULL,
    kind              TEXT NOT NULL,
    reason_enc        BYTEA NOT NULL,
    sealed_at         TIMESTAMPTZ NOT NULL,
    sealed_by         UUID REFERENCES account (id),
    unsealed_at       TIMESTAMPTZ,
    unsealed_by       UUID REFERENCES account (id),
    unseal_reason_enc BYTEA
);
CREATE INDEX field_seal_procedure ON field_seal (procedure_id);
-- One seal in force per person and kind.
CREATE UNIQUE INDEX field_seal_in_force ON field_seal (procedure_id, person_key, kind) WHERE unsealed_at IS NULL;

-- The members a seal names as those who see the value. A seal without rows here names the defaults: the group's
-- current coordinator and social workers (store/src/access.rs, seal_visible_sql).
CREATE TABLE field_seal_viewer (
    seal_id    UUID NOT NULL REFERENCES field_seal (id),
    account_id UUID NOT NULL REFERENCES account (id),
    PRIMARY KEY (seal_id, account_id)
);
