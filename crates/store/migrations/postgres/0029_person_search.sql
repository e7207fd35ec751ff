-- Search by person (issue 16): keyed hashes (blind indexes) of the surname, of each given name with the surname and
-- of the PESEL of every person on every form, with the role the person has on that form. Nothing here can be read
-- back without the municipality's data key; the strings hashed are domain::person::search::index_entries.
CREATE TABLE person_search (
    tenant_id    UUID NOT NULL REFERENCES tenant (id),
    key_hash     BYTEA NOT NULL,
    procedure_id UUID NOT NULL REFERENCES procedure (id),
    form_id      UUID NOT NULL REFERENCES procedure_form (id),
    role         TEXT NOT NULL CHECK (role IN ('affected_person', 'suspected_person', 'child', 'household_member',
                                               'witness', 'reporter')),
    PRIMARY KEY (tenant_id, key_hash, form_id, role)
);
CREATE INDEX person_search_form ON person_search (form_id);

-- The version of the search keys a form was indexed with (0: not yet). Forms stored before this migration are indexed
-- by `ostoja serve` at start (the keys need the data key, which SQL cannot reach); a new normalisation raises the
-- version and the same pass indexes every form again.
ALTER TABLE procedure_form ADD COLUMN search_indexed INTEGER NOT NULL DEFAULT 0;
CREATE INDEX procedure_form_search_indexed ON procedure_form (search_indexed);
