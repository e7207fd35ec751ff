-- County and region (issue 17, items 1–3). SQLite twin of postgres/0034_region.sql.

-- The TERC register's counties and voivodeships as loaded by `ostoja teryt load FILE` (a newer register than the one
-- compiled in, domain::territory::REGISTER_CSV, which answers while this table is empty). Public names only.
CREATE TABLE territorial_unit (
    code   TEXT PRIMARY KEY,
    name   TEXT NOT NULL,
    kind   TEXT NOT NULL,
    as_of  TEXT NOT NULL
);

-- A municipality's approved statutory set sent to its county and voivodeship: one row per approved version sent
-- (a newer version after a submission is a correction, never an overwrite). via: 'installation' (approved on this
-- installation) or 'package' (a signed package received from a municipal installation). status: 'submitted' or
-- 'returned' (by a coordinator, with a comment encrypted under the municipality's data key, which its chair reads).
CREATE TABLE statutory_submission (
    id                  BLOB PRIMARY KEY,
    tenant_id           BLOB NOT NULL REFERENCES tenant (id),
    year                INTEGER NOT NULL,
    version             INTEGER NOT NULL,
    via                 TEXT NOT NULL CHECK (via IN ('installation', 'package')),
    submitted_at        TEXT NOT NULL,
    submitted_by        BLOB REFERENCES account (id),
    status              TEXT NOT NULL CHECK (status IN ('submitted', 'returned')),
    return_comment_enc  BLOB,
    returned_at         TEXT,
    returned_by         BLOB REFERENCES account (id),
    UNIQUE (tenant_id, year, version),
    FOREIGN KEY (tenant_id, year, version) REFERENCES statutory_approval (tenant_id, year, version)
);

-- The region's report for a year, compiled from its municipalities' latest submissions and approved by the regional
-- coordinator (by 30 March): figures is the JSON of every line's sum and the number of municipalities behind it,
-- frozen as a version like a municipality's set.
CREATE TABLE regional_report (
    tenant_id     BLOB NOT NULL REFERENCES tenant (id),
    year          INTEGER NOT NULL,
    version       INTEGER NOT NULL,
    figures       TEXT NOT NULL,
    municipalities INTEGER NOT NULL,
    approved_by   BLOB REFERENCES account (id),
    approved_at   TEXT NOT NULL,
    PRIMARY KEY (tenant_id, year, version)
);
