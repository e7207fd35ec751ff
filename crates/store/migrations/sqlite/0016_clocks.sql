-- The safety clocks and whose turn it is (issue 15, items 2, 7 and 8).
--
-- The team's settings for the case clocks: whether deadlines resting on an unconfirmed reading of the law ([U]) are
-- counted as breaches and escalated (off unless the chair turns it on), and how often a monitored case is checked.
-- No row means the defaults.
CREATE TABLE tenant_clock_setting (
    tenant_id               BLOB PRIMARY KEY REFERENCES tenant (id),
    escalate_unconfirmed    BOOLEAN NOT NULL DEFAULT FALSE,
    monitoring_check_months INTEGER NOT NULL DEFAULT 3,
    updated_by              BLOB REFERENCES account (id),
    updated_at              TEXT NOT NULL
);

-- The instant that stops a record's own clock (the guardianship court told of a child's placement, the officer
-- designated for an escort), in clear beside the encrypted record so the deadlines are computed without decrypting.
-- Not personal data: a time only.
ALTER TABLE case_record ADD COLUMN clock_done_at TEXT;

-- A support-plan item's due day as a clock (the day only, no personal data); `clock_done_at` is when the item was first
-- marked done or not done.
ALTER TABLE case_record ADD COLUMN due_at TEXT;
