-- Access to a case beyond the standing roles (issue 20, items 3 and 4), read by the need-to-know fragments in
-- store/src/access.rs. A grant gives access from granted_at until ends_at (NULL: until ended), or until ended_at when
-- it was ended early; from that instant it gives nothing. Rows are never deleted: the data protection officer's
-- register lists them.
-- kind: 'break_glass' (a team member opened the case in an emergency, with a reason, always time-boxed) or
-- 'granted' (the chair let an account outside the group in, e.g. an expert or a new member).
-- reason_enc and review_comment_enc are free text that may name people: encrypted like every other free text.
CREATE TABLE case_grant (
    id                 BLOB PRIMARY KEY,
    tenant_id          BLOB NOT NULL REFERENCES tenant (id),
    procedure_id       BLOB NOT NULL REFERENCES procedure (id),
    account_id         BLOB NOT NULL REFERENCES account (id),
    kind               TEXT NOT NULL CHECK (kind IN ('break_glass', 'granted')),
    reason_enc         BLOB,
    granted_by         BLOB NOT NULL REFERENCES account (id),
    granted_at         TEXT NOT NULL,
    ends_at            TEXT,
    ended_at           TEXT,
    ended_by           BLOB REFERENCES account (id),
    reviewed_by        BLOB REFERENCES account (id),
    reviewed_at        TEXT,
    review_comment_enc BLOB,
    CHECK (kind <> 'break_glass' OR (ends_at IS NOT NULL AND reason_enc IS NOT NULL))
);
CREATE INDEX case_grant_access ON case_grant (account_id, procedure_id);
CREATE INDEX case_grant_case ON case_grant (procedure_id);
CREATE INDEX case_grant_register ON case_grant (tenant_id, kind, granted_at);
