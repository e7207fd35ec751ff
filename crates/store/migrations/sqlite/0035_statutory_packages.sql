-- Signed statutory packages sent upward (issue 17, item 5). SQLite twin of postgres/0035_statutory_packages.sql.
-- docs/statutory-package.md describes the package; nothing here holds personal data.

-- A municipality's own Ed25519 key that signs the packages it sends upward: made on first use, its private half
-- sealed under the municipality's data key (rotated with it), its public half and fingerprint shown to the chair.
CREATE TABLE statutory_signing_key (
    tenant_id       BLOB PRIMARY KEY REFERENCES tenant (id),
    public_key      TEXT NOT NULL,
    fingerprint     TEXT NOT NULL UNIQUE,
    private_key_enc BLOB NOT NULL,
    created_at      TEXT NOT NULL
);

-- On the receiving (county or region) installation: a municipality's public key, registered once by an operator who
-- compared its fingerprint with the municipality's. push_token_hash is the SHA-256 (hex) of the token the
-- municipality's installation pushes with; the token lets it submit its own TERYT's packages and nothing else.
CREATE TABLE statutory_package_key (
    fingerprint     TEXT PRIMARY KEY,
    teryt           TEXT NOT NULL,
    public_key      TEXT NOT NULL,
    push_token_hash TEXT NOT NULL UNIQUE,
    registered_at   TEXT NOT NULL
);

CREATE INDEX statutory_package_key_teryt ON statutory_package_key (teryt);

-- Every package received, kept whole as it came (figures only): the replay check reads its signature, the stale
-- check its version; approval_version is the statutory_approval version it became here (a later one is a
-- correction, never an overwrite).
CREATE TABLE statutory_package_received (
    id               BLOB PRIMARY KEY,
    tenant_id        BLOB NOT NULL REFERENCES tenant (id),
    year             INTEGER NOT NULL,
    package_version  INTEGER NOT NULL,
    approval_version INTEGER NOT NULL,
    fingerprint      TEXT NOT NULL REFERENCES statutory_package_key (fingerprint),
    signature        TEXT NOT NULL UNIQUE,
    package          TEXT NOT NULL,
    via              TEXT NOT NULL CHECK (via IN ('file', 'push')),
    received_at      TEXT NOT NULL,
    UNIQUE (tenant_id, year, package_version)
);
