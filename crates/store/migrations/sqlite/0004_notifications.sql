-- Notifications in the application and the e-mail outbox. Neither holds personal data: a notification is a kind and
-- the procedure it concerns (the page shows the procedure's number); an e-mail row names its recipient account (the
-- address stays encrypted on the account and is decrypted only when sending) and, for a meeting invitation, the
-- meeting's times and calendar identity. SQLite twin of postgres/0004_notifications.sql.

CREATE TABLE notification (
    id           BLOB PRIMARY KEY,
    tenant_id    BLOB NOT NULL REFERENCES tenant (id),
    account_id   BLOB NOT NULL REFERENCES account (id),
    -- store::notify::NotificationKind
    kind         TEXT NOT NULL,
    procedure_id BLOB REFERENCES procedure (id),
    -- For deadline escalations: the deadline rule's id (domain::procedure::deadlines::RULES).
    rule_id      TEXT,
    -- Set for notifications that must be written once only (escalation: procedure, rule, state); a rerun of the
    -- job then inserts nothing.
    once_key     TEXT,
    created_at   TEXT NOT NULL,
    read_at      TEXT,
    UNIQUE (account_id, once_key)
);
CREATE INDEX notification_account_created ON notification (account_id, created_at);
-- The header's unread count: one indexed COUNT.
CREATE INDEX notification_unread ON notification (account_id) WHERE read_at IS NULL;

-- E-mails waiting to be sent, sent, or given up on. Nothing is deleted: a failure stays visible.
CREATE TABLE email_outbox (
    id              BLOB PRIMARY KEY,
    tenant_id       BLOB NOT NULL REFERENCES tenant (id),
    account_id      BLOB NOT NULL REFERENCES account (id),
    notification_id BLOB REFERENCES notification (id),
    -- 'notice' (something new to see) or 'meeting' (with an .ics invitation)
    kind            TEXT NOT NULL,
    procedure_id    BLOB REFERENCES procedure (id),
    -- The invitation: a stable calendar UID, its SEQUENCE, start, end, whether it cancels.
    meeting_uid     BLOB,
    meeting_seq     INTEGER,
    meeting_start   TEXT,
    meeting_end     TEXT,
    meeting_cancel  BOOLEAN,
    created_at      TEXT NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    last_error      TEXT,
    sent_at         TEXT,
    -- Set when the retries are used up; the row stays for the administrator to see.
    failed_at       TEXT
);
CREATE INDEX email_outbox_due ON email_outbox (next_attempt_at) WHERE sent_at IS NULL AND failed_at IS NULL;
