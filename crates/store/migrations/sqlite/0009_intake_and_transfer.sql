-- Drafts of forms being filled (form A, forms C and D of a case): saved as the user types, so a half-filled form
-- is never lost (a closed tab, a dropped connection on a home visit, an expired session). A draft belongs to the
-- account that typed it and to nobody else; its answers are personal data, encrypted as one JSON document. It is
-- deleted when the form is submitted, when its author discards it, and by housekeeping after 30 days untouched.
-- SQLite twin of postgres/0009_intake_and_transfer.sql.

CREATE TABLE form_draft (
    id           BLOB PRIMARY KEY,
    tenant_id    BLOB NOT NULL REFERENCES tenant (id),
    account_id   BLOB NOT NULL REFERENCES account (id),
    -- Which form: "A", "C", "D" (domain FormKind), and the case for a form of an open case.
    form         TEXT NOT NULL,
    procedure_id BLOB REFERENCES procedure (id),
    body_enc     BLOB NOT NULL,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);
CREATE INDEX form_draft_account ON form_draft (account_id, updated_at);

-- A form A filled on paper and typed in afterwards by the team's staff: marked, so the case page says who typed it
-- and that the original (with its own date and time, and the initiator named in part XIV) is on paper.
ALTER TABLE procedure_form ADD COLUMN entered_from_paper BOOLEAN NOT NULL DEFAULT FALSE;

-- Whether every person suspected of using violence was present when form A was filled (its part II answers it). Not
-- personal data; it decides whether the clock for notifying an absent suspect (art. 9b ust. 8 pkt 3) runs. NULL
-- (older cases, or not answered for everyone) keeps the clock running: a missed notice is worse than a needless one.
ALTER TABLE procedure ADD COLUMN suspects_present BOOLEAN;

-- A case handed over to another municipality's team when the person experiencing violence moves (art. 9e ust. 3,
-- art. 9c ust. 5a): direction 'out' records each export package made of a case here, 'in' a case received from a
-- package. package_enc holds the received documentation (the old team's timeline, forms and records) encrypted
-- under this tenant's key, shown read-only on the receiving case; for 'out' the sealed file as handed over (already
-- encrypted under a one-time passphrase that is never stored, and again under this tenant's key), to download again.
CREATE TABLE procedure_transfer (
    id            BLOB PRIMARY KEY,
    tenant_id     BLOB NOT NULL REFERENCES tenant (id),
    procedure_id  BLOB NOT NULL REFERENCES procedure (id),
    direction     TEXT NOT NULL,
    counterpart   TEXT NOT NULL,
    source_number TEXT NOT NULL,
    package_id    BLOB NOT NULL,
    package_enc   BLOB,
    created_by    BLOB REFERENCES account (id),
    created_at    TEXT NOT NULL
);
CREATE INDEX procedure_transfer_procedure ON procedure_transfer (procedure_id);
-- A package is imported once per municipality: a second import of the same file names the case it made.
CREATE UNIQUE INDEX procedure_transfer_once ON procedure_transfer (tenant_id, package_id, direction);
