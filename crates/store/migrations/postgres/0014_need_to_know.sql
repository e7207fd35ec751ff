-- Need-to-know (issue 14). 

-- The confidentiality declaration (art. 9c ust. 3) of an account that is not a current member of the team: a group
-- member from outside the team, or a staff account not in the team's register. kind: 'declaration' (oświadczenie)
-- or 'authorisation' (upoważnienie). A team member's own declaration stays on team_member.confidentiality_signed_on.
-- Without one of the two, the account reaches no case data as staff or as a group member (store::access).
CREATE TABLE account_confidentiality (
    account_id  UUID PRIMARY KEY REFERENCES account (id),
    tenant_id   UUID NOT NULL REFERENCES tenant (id),
    kind        TEXT NOT NULL,
    signed_on   TEXT NOT NULL,
    recorded_by UUID REFERENCES account (id),
    recorded_at TIMESTAMPTZ NOT NULL
);

-- A form A whose people are already in a running or monitored case, submitted by someone who may not see that case
-- (an initiator, a group member): kept here for the team's staff, who attach it to the matched case as a further
-- form A or open a new procedure with it. The filer is told only that the form went to the team, whatever matched,
-- so that submitting a form A cannot be used to learn whether a person is in a case. answers_enc: the form's
-- answers, encrypted as procedure_form.answers_enc is. matched: the matched procedures' ids, space-separated (no
-- personal data). resolution: NULL while pending, then 'attached' or 'opened' with the procedure it went to.
CREATE TABLE form_a_intake (
    id            UUID PRIMARY KEY,
    tenant_id     UUID NOT NULL REFERENCES tenant (id),
    filed_by      UUID NOT NULL REFERENCES account (id),
    version       TEXT NOT NULL,
    answers_enc   BYTEA NOT NULL,
    filled_at     TIMESTAMPTZ NOT NULL,
    matched       TEXT NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL,
    resolution    TEXT,
    procedure_id  UUID REFERENCES procedure (id),
    resolved_by   UUID REFERENCES account (id),
    resolved_at   TIMESTAMPTZ
);
CREATE INDEX form_a_intake_pending ON form_a_intake (tenant_id, resolution, created_at);
