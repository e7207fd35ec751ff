-- Foundation: installation settings, tenants, institutions, accounts, sessions, tokens, keys and the audit chain.
-- SQLite twin of migrations/postgres/0001_foundation.sql: same tables, columns and constraints; only the types
-- differ (UUID as BLOB, timestamps as RFC 3339 TEXT, bytes as BLOB).

-- Key/value settings of the installation (demo mode).
CREATE TABLE installation_setting (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- One municipality's team. The name is public information (not personal data), so it is stored in plain text.
CREATE TABLE tenant (
    id         BLOB PRIMARY KEY,
    teryt      TEXT NOT NULL UNIQUE,
    name       TEXT NOT NULL,
    is_demo    BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TEXT NOT NULL
);

CREATE TABLE institution (
    id         BLOB PRIMARY KEY,
    tenant_id  BLOB NOT NULL REFERENCES tenant (id),
    name       TEXT NOT NULL,
    kind       TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (tenant_id, name)
);

-- Per-scope data keys (a tenant's, or the installation's under the nil UUID), wrapped by the master key, which
-- never enters the database. master_fingerprint tells which master key wrapped it (for rotation).
CREATE TABLE data_key (
    scope_id           BLOB PRIMARY KEY,
    wrapped            BLOB NOT NULL,
    master_fingerprint TEXT NOT NULL,
    created_at         TEXT NOT NULL
);

-- Accounts. Names, e-mail and phone are personal data: encrypted under the scope's data key (the *_enc columns).
-- The login is chosen to be non-personal and stays in plain text for look-up.
CREATE TABLE account (
    id              BLOB PRIMARY KEY,
    tenant_id       BLOB REFERENCES tenant (id),
    institution_id  BLOB REFERENCES institution (id),
    login           TEXT NOT NULL UNIQUE,
    password_hash   TEXT,
    totp_secret_enc BLOB,
    totp_confirmed  BOOLEAN NOT NULL DEFAULT FALSE,
    totp_last_step  BIGINT,
    full_name_enc   BLOB,
    email_enc       BLOB,
    phone_enc       BLOB,
    active          BOOLEAN NOT NULL DEFAULT TRUE,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);
CREATE INDEX account_tenant ON account (tenant_id);

CREATE TABLE account_role (
    account_id BLOB NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    role       TEXT NOT NULL,
    PRIMARY KEY (account_id, role)
);

-- One-time links: the installation's set-up, an account's activation, a second-factor reset. Only the hash of the
-- token is kept, so a copy of the database cannot be used to take over an account.
CREATE TABLE one_time_link (
    token_hash BLOB PRIMARY KEY,
    purpose    TEXT NOT NULL,
    account_id BLOB REFERENCES account (id) ON DELETE CASCADE,
    expires_at TEXT NOT NULL,
    used_at    TEXT
);

-- Sessions live in the database so logout and idle expiry are real. Only the token's hash is stored.
CREATE TABLE session (
    token_hash   BLOB PRIMARY KEY,
    account_id   BLOB NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    stage        TEXT NOT NULL,
    csrf_token   TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    last_seen_at TEXT NOT NULL
);
CREATE INDEX session_account ON session (account_id);

-- Failed-login counters, keyed 'account:<login>' or 'address:<ip>'.
CREATE TABLE login_throttle (
    key          TEXT PRIMARY KEY,
    failures     INTEGER NOT NULL,
    locked_until TEXT,
    updated_at   TEXT NOT NULL
);

CREATE TABLE api_token (
    id           BLOB PRIMARY KEY,
    account_id   BLOB NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    token_hash   BLOB NOT NULL UNIQUE,
    created_at   TEXT NOT NULL,
    last_used_at TEXT,
    revoked_at   TEXT
);

-- The audit chain. audit_head holds the newest entry's sequence number and hash; appending updates it, which takes
-- a row lock on PostgreSQL and the single write lock on SQLite, so concurrent appends cannot fork the chain.
CREATE TABLE audit_head (
    chain INTEGER PRIMARY KEY CHECK (chain = 1),
    seq   BIGINT NOT NULL,
    hash  BLOB NOT NULL
);
INSERT INTO audit_head (chain, seq, hash) VALUES (1, 0, X'0000000000000000000000000000000000000000000000000000000000000000');

CREATE TABLE audit_entry (
    seq         BIGINT PRIMARY KEY,
    at          TEXT NOT NULL,
    tenant_id   BLOB,
    actor_id    BLOB,
    actor_login TEXT,
    action      TEXT NOT NULL,
    object_kind TEXT NOT NULL,
    object_id   TEXT,
    detail      TEXT NOT NULL,
    address     TEXT,
    prev_hash   BLOB NOT NULL,
    hash        BLOB NOT NULL
);
CREATE INDEX audit_entry_tenant ON audit_entry (tenant_id, seq);

-- Append-only: the application never edits or removes an entry. Someone with direct database access still can, which
-- is what the hash chain and `ostoja audit verify` are for.
CREATE TRIGGER audit_entry_no_update BEFORE UPDATE ON audit_entry
BEGIN SELECT RAISE(ABORT, 'audit_entry is append-only'); END;
CREATE TRIGGER audit_entry_no_delete BEFORE DELETE ON audit_entry
BEGIN SELECT RAISE(ABORT, 'audit_entry is append-only'); END;
