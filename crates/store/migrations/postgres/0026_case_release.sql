-- Releases of copies of the case documentation (issue 20, item 2): the chair answers an access request (art. 9c
-- ust. 4–5) with a redacted, watermarked copy, and each release is recorded here for the data protection officer's
-- register: what (the forms and records released, the values revealed), to whom, when, on what basis, by whom.
-- The recipient, purpose, other basis and the reason for including sealed values may name people: encrypted.
-- basis and requester are the codes of domain::procedure::release (never shown raw). contents is clear JSON of ids
-- and answer paths only, no value. digest: SHA-256 of the PDF handed over, to recognise the copy later.
-- requested_on is a day (YYYY-MM-DD, as text like the other days of the schema).
CREATE TABLE case_release (
    id                UUID PRIMARY KEY,
    tenant_id         UUID NOT NULL REFERENCES tenant (id),
    procedure_id      UUID NOT NULL REFERENCES procedure (id),
    released_by       UUID NOT NULL REFERENCES account (id),
    released_at       TIMESTAMPTZ NOT NULL,
    requested_on      TEXT NOT NULL,
    requester         TEXT NOT NULL,
    basis             TEXT NOT NULL,
    recipient_enc     BYTEA NOT NULL,
    purpose_enc       BYTEA NOT NULL,
    basis_other_enc   BYTEA,
    sealed_reason_enc BYTEA,
    contents          TEXT NOT NULL,
    redacted_count    INTEGER NOT NULL,
    digest            TEXT NOT NULL
);
CREATE INDEX case_release_case ON case_release (procedure_id, released_at);
