-- Foundation: installation settings, tenants, institutions, accounts, sessions, tokens, keys and the audit chain.
-- PostgreSQL twin of migrations/sqlite/0001_foundation.sql: same tables, columns and constraints.

-- Key/value settings of the installation (demo mode).
CREATE TABLE installation_setting (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- One municipality's team. The name is public information (not personal data), so it is stored in plain text.
CREATE TABLE tenant (
    id         UUID PRIMARY KEY,
    teryt      TEXT NOT NULL UNIQUE,
    name       TEXT NOT NULL,
    is_demo    BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE institution (
    id         UUID PRIMARY KEY,
    tenant_id  UUID NOT NULL REFERENCES tenant (id),
    name       TEXT NOT NULL,
    kind       TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    UNIQUE (tenant_id, name)
);

-- Per-scope data keys (a tenant's, or the installation's under the nil UUID), wrapped by the master key, which
-- never enters the database. master_fingerprint tells which master key wrapped it (for rotation).
CREATE TABLE data_key (
    scope_id           UUID PRIMARY KEY,
    wrapped            BYTEA NOT NULL,
    master_fingerprint TEXT NOT NULL,
    created_at         TIMESTAMPTZ NOT NULL
);

-- Accounts. Names, e-mail and phone are personal data: encrypted under the scope's data key (the *_enc columns).
-- The login is chosen to be non-personal and stays in plain text for look-up.
CREATE TABLE account (
    id              UUID PRIMARY KEY,
    tenant_id       UUID REFERENCES tenant (id),
    institution_id  UUID REFERENCES institution (id),
    login           TEXT NOT NULL UNIQUE,
    password_hash   TEXT,
    totp_secret_enc BYTEA,
    totp_confirmed  BOOLEAN NOT NULL DEFAULT FALSE,
    totp_last_step  BIGINT,
    full_name_enc   BYTEA,
    email_enc       BYTEA,
    phone_enc       BYTEA,
    active          BOOLEAN NOT NULL DEFAULT TRUE,
    created_at      TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX account_tenant ON account (tenant_id);

CREATE TABLE account_role (
    account_id UUID NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    role       TEXT NOT NULL,
    PRIMARY KEY (account_id, role)
);

-- One-time links: the installation's set-up, an account's activation, a second-factor reset. Only the hash of the
-- token is kept, so a copy of the database cannot be used to take over an account.
CREATE TABLE one_time_link (
    token_hash BYTEA PRIMARY KEY,
    purpose    TEXT NOT NULL,
    account_id UUID REFERENCES account (id) ON DELETE CASCADE,
    expires_at TIMESTAMPTZ NOT NULL,
    used_at    TIMESTAMPTZ
);

-- Sessions live in the database so logout and idle expiry are real. Only the token's hash is stored.
CREATE TABLE session (
    token_hash   BYTEA PRIMARY KEY,
    account_id   UUID NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    stage        TEXT NOT NULL,
    csrf_token   TEXT NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL,
    last_seen_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX session_account ON session (account_id);

-- Failed-login counters, keyed 'account:<login>' or 'address:<ip>'.
CREATE TABLE login_throttle (
    key          TEXT PRIMARY KEY,
    failures     INTEGER NOT NULL,
    locked_until TIMESTAMPTZ,
    updated_at   TIMESTAMPTZ NOT NULL
);

CREATE TABLE api_token (
    id           UUID PRIMARY KEY,
    account_id   UUID NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    token_hash   BYTEA NOT NULL UNIQUE,
    created_at   TIMESTAMPTZ NOT NULL,
    last_used_at TIMESTAMPTZ,
    revoked_at   TIMESTAMPTZ
);

-- The audit chain. audit_head holds the newest entry's sequence number and hash; appending updates it, which takes
-- a row lock on PostgreSQL and the single write lock on SQLite, so concurrent appends cannot fork the chain.
CREATE TABLE audit_head (
    chain INTEGER PRIMARY KEY CHECK (chain = 1),
    seq   BIGINT NOT NULL,
    hash  BYTEA NOT NULL
);
INSERT INTO audit_head (chain, seq, hash) VALUES (1, 0, '\x0000000000000000000000000000000000000000000000000000000000000000');

CREATE TABLE audit_entry (
    seq         BIGINT PRIMARY KEY,
    at          TIMESTAMPTZ NOT NULL,
    tenant_id   UUID,
    actor_id    UUID,
    actor_login TEXT,
    action      TEXT NOT NULL,
    object_kind TEXT NOT NULL,
    object_id   TEXT,
    detail      TEXT NOT NULL,
    address     TEXT,
    prev_hash   BYTEA NOT NULL,
    hash        BYTEA NOT NULL
);
CREATE INDEX audit_entry_tenant ON audit_entry (tenant_id, seq);

-- Append-only: the application never edits or removes an entry. Someone with direct database access still can, which
-- is what the hash chain and `ostoja audit verify` are for.
CREATE FUNCTION audit_entry_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_entry is append-only';
END;
$$;
CREATE TRIGGER audit_entry_no_update BEFORE UPDATE OR DELETE ON audit_entry
    FOR EACH ROW EXECUTE FUNCTION audit_entry_append_only();
