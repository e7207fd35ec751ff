-- The county's own figures (issue 17, item 4): the programmes for persons using violence the county runs (art. 6
-- ust. 3 pkt 2 of the act), and the certificates it sends back to the municipalities' teams. PostgreSQL twin of
-- sqlite/0043_county_programmes.sql. Calendar dates are ISO text (YYYY-MM-DD) in both engines, as in 0006_team.sql.

-- One edition of a programme run by the county (tenant_id: a county's tenant): its kind (correctional_educational or
-- psychological_therapeutic), its period, and how many persons registered and completed it. Counts only, in clear:
-- the county keeps the persons' files outside Ostoja.
CREATE TABLE county_programme_edition (
    id             UUID PRIMARY KEY,
    tenant_id      UUID NOT NULL REFERENCES tenant (id),
    kind           TEXT NOT NULL CHECK (kind IN ('correctional_educational', 'psychological_therapeutic')),
    starts_on      TEXT NOT NULL,
    ends_on        TEXT NOT NULL,
    registrations  INTEGER NOT NULL CHECK (registrations >= 0),
    completions    INTEGER NOT NULL CHECK (completions >= 0 AND completions <= registrations),
    created_by     UUID REFERENCES account (id),
    created_at     TIMESTAMPTZ NOT NULL,
    updated_at     TIMESTAMPTZ NOT NULL,
    version        BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX county_programme_edition_tenant ON county_programme_edition (tenant_id, starts_on);

-- An opaque reference the municipality's team gives a referral for its county (on one installation): random, with no
-- meaning, so the county can send a certificate back to the referral without ever seeing the case, the person or
-- the municipality's case number. county_code: the 4 digits of the county it is meant for (the municipality's own);
-- a certificate is matched only by that county. The procedure and referral stay on the municipality's side: the
-- county's queries never read them. Both become NULL when the procedure is erased (retention), so the county's
-- certificate stays counted while nothing points at the case any more.
CREATE TABLE county_referral_reference (
    id             UUID PRIMARY KEY,
    reference      TEXT NOT NULL UNIQUE,
    tenant_id      UUID NOT NULL REFERENCES tenant (id),
    procedure_id   UUID REFERENCES procedure (id),
    referral_id    UUID,
    county_code    TEXT NOT NULL,
    created_by     UUID REFERENCES account (id),
    created_at     TIMESTAMPTZ NOT NULL,
    UNIQUE (procedure_id, referral_id)
);

-- A certificate the county sent back (kind: registration or completion, art. 4 ust. 6 pkt 2 and 4), dated as issued,
-- against a referral's reference (one installation) or none (sent on paper to a municipality elsewhere); in the
-- edition it belongs to, if given. One certificate of each kind per reference.
CREATE TABLE county_certificate (
    id             UUID PRIMARY KEY,
    tenant_id      UUID NOT NULL REFERENCES tenant (id),
    kind           TEXT NOT NULL CHECK (kind IN ('registration', 'completion')),
    issued_on      TEXT NOT NULL,
    edition_id     UUID REFERENCES county_programme_edition (id),
    reference_id   UUID REFERENCES county_referral_reference (id),
    recorded_by    UUID REFERENCES account (id),
    recorded_at    TIMESTAMPTZ NOT NULL,
    UNIQUE (reference_id, kind)
);
CREATE INDEX county_certificate_tenant ON county_certificate (tenant_id, issued_on);
