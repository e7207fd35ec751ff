-- Notifications in the application and the e-mail outbox. Neither holds personal data: a notification is a kind and
-- the procedure it concerns (the page shows the procedure's number); an e-mail row names its recipient account (the
-- address stays encrypted on the account and is decrypted only when sending) and, for a meeting invitation, the
-- meeting's times and calendar identity. PostgreSQL twin of sqlite/0004_notifications.sql.

CREATE TABLE notification (
    id           UUID PRIMARY KEY,
    tenant_id    UUID NOT NULL REFERENCES tenant (id),
    account_id   UUID NOT NULL REFERENCES account (id),
    -- store::notify::NotificationKind
    kind         TEXT NOT NULL,
    procedure_id UUID REFERENCES procedure (id),
    -- For deadline escalations: the deadline rule's id (domain::procedure::deadlines::RULES).
    rule_id      TEXT,
    -- Set for notifications that must be written once only (escalation: procedure, rule, state); a rerun of the
    -- job then inserts nothing.
    once_key     TEXT,
    created_at   TIMESTAMPTZ NOT NULL,
    read_at      TIMESTAMPTZ,
    UNIQUE (account_id, once_key)
);
CREATE INDEX notification_account_created ON notification (account_id, created_at);
-- The header's unread count: one indexed COUNT.
CREATE INDEX notification_unread ON notification (account_id) WHERE read_at IS NULL;

-- E-mails waiting to be sent, sent, or given up on. Nothing is deleted: a failure stays visible.
CREATE TABLE email_outbox (
    id              UUID PRIMARY KEY,
    tenant_id       UUID NOT NULL REFERENCES tenant (id),
    account_id      UUID NOT NULL REFERENCES account (id),
    notification_id UUID REFERENCES notification (id),
    -- 'notice' (something new to see) or 'meeting' (with an .ics invitation)
    kind            TEXT NOT NULL,
    procedure_id    UUID REFERENCES procedure (id),
    -- The invitation: a stable calendar UID, its SEQUENCE, start, end, whether it cancels.
    meeting_uid     UUID,
    meeting_seq     BIGINT,
    meeting_start   TIMESTAMPTZ,
    meeting_end     TIMESTAMPTZ,
    meeting_cancel  BOOLEAN,
    created_at      TIMESTAMPTZ NOT NULL,
    attempts        BIGINT NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMPTZ NOT NULL,
    last_error      TEXT,
    sent_at         TIMESTAMPTZ,
    -- Set when the retries are used up; the row stays for the administrator to see.
    failed_at       TIMESTAMPTZ
);
CREATE INDEX email_outbox_due ON email_outbox (next_attempt_at) WHERE sent_at IS NULL AND failed_at IS NULL;
