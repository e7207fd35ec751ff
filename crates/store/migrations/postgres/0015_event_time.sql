-- Every step on its real date (issue 15).

-- procedure_command.at is when the step happened (given by the user, default the moment of entry); recorded_at is
-- when it was typed in. Steps recorded before this migration were stamped with their entry, so both are the same.
ALTER TABLE procedure_command ADD COLUMN recorded_at TIMESTAMPTZ;
UPDATE procedure_command SET recorded_at = at;
CREATE INDEX procedure_command_event_order ON procedure_command (procedure_id, at, seq);

-- The closing record (art. 9h ust. 1, art. 9b ust. 15): the statutory reason, its written justification (free text,
-- personal data: encrypted like the group's records), the date the group decided it and the held meeting at which it
-- did (a case_record of kind 'meeting'). command_seq: the closing's row in procedure_command. A closing undone by the
-- chair within one working day of its entry keeps its record here with undone_at, undone_by and the reason
-- (encrypted); its command leaves the log, so the state, the deadlines and the figures no longer see it.
CREATE TABLE procedure_closing (
    id                UUID PRIMARY KEY,
    procedure_id      UUID NOT NULL REFERENCES procedure (id),
    tenant_id         UUID NOT NULL REFERENCES tenant (id),
    reason            TEXT NOT NULL,
    justification_enc BYTEA,
    decided_at        TIMESTAMPTZ NOT NULL,
    meeting_id        UUID REFERENCES case_record (id),
    command_seq       BIGINT NOT NULL,
    warnings          TEXT NOT NULL,
    recorded_by       UUID REFERENCES account (id),
    recorded_at       TIMESTAMPTZ NOT NULL,
    undone_at         TIMESTAMPTZ,
    undone_by         UUID REFERENCES account (id),
    undo_reason_enc   BYTEA
);
CREATE INDEX procedure_closing_procedure ON procedure_closing (procedure_id, recorded_at);
