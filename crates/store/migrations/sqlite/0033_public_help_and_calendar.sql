-- The public help page and the calendar (issue 16, items 8 and 10). SQLite twin of postgres/0033.

-- A directory entry that stands for a national helpline carries its key (niebieska_linia, crisis_116123,
-- children_116111, emergency_112): the team edits or archives it like any other entry, and the key keeps it from
-- being added twice. Each municipality gets the four when it is created (store::team::directory::NATIONAL_HELPLINES);
-- the municipalities that exist already get them here.
ALTER TABLE help_directory_entry ADD COLUMN national_key TEXT;
CREATE UNIQUE INDEX help_directory_entry_national ON help_directory_entry (tenant_id, national_key);

INSERT INTO help_directory_entry (id, tenant_id, name, help_kinds, phone, opening_hours, languages, description,
                                  is_public, last_checked_on, created_at, updated_at, national_key)
SELECT randomblob(16), t.id, h.name, h.help_kinds, h.phone, h.hours, h.languages, h.description, 1, date('now'),
       strftime('%Y-%m-%dT%H:%M:%S', 'now') || '.000000Z', strftime('%Y-%m-%dT%H:%M:%S', 'now') || '.000000Z', h.key
FROM tenant t CROSS JOIN (
    SELECT 'niebieska_linia' AS key,
           'Ogólnopolski Telefon dla Osób Doznających Przemocy Domowej „Niebieska Linia”' AS name,
           'psychological legal helpline' AS help_kinds, '800 120 002' AS phone, 'całodobowo, bezpłatnie' AS hours,
           'pl' AS languages,
           'Dla osób doznających przemocy domowej i świadków: wsparcie psychologiczne, informacja prawna, adresy miejsc pomocy.' AS description
    UNION ALL SELECT 'crisis_116123', 'Kryzysowy Telefon Zaufania', 'psychological crisis_intervention helpline',
           '116 123', 'całodobowo, bezpłatnie', 'pl',
           'Dla dorosłych w kryzysie emocjonalnym: rozmowa z psychologiem.'
    UNION ALL SELECT 'children_116111', 'Telefon Zaufania dla Dzieci i Młodzieży', 'psychological helpline',
           '116 111', 'całodobowo, bezpłatnie', 'pl',
           'Dla dzieci i młodzieży: rozmowa o każdym kłopocie, także o przemocy w domu.'
    UNION ALL SELECT 'emergency_112', 'Numer alarmowy 112', 'crisis_intervention police',
           '112', 'całodobowo, bezpłatnie', 'pl en',
           'Gdy życie lub zdrowie jest w niebezpieczeństwie: policja, pogotowie, straż pożarna.'
) h;

-- The municipality's accessibility statement (deklaracja dostępności, art. 10 of the act of 4 April 2019 on digital
-- accessibility), published at /pomoc/{teryt}/deklaracja-dostepnosci and linked from every page. One per
-- municipality; no row means "not filled in yet", which the public page says.
CREATE TABLE accessibility_statement (
    tenant_id      BLOB PRIMARY KEY REFERENCES tenant (id),
    status         TEXT NOT NULL CHECK (status IN ('full', 'partial', 'none')),
    inaccessible   TEXT,
    published_on   TEXT,
    updated_on     TEXT,
    prepared_on    TEXT NOT NULL,
    reviewed_on    TEXT,
    method         TEXT,
    contact_name   TEXT,
    contact_email  TEXT,
    contact_phone  TEXT,
    architectural  TEXT,
    updated_by     BLOB REFERENCES account (id),
    updated_at     TEXT NOT NULL,
    version        BIGINT NOT NULL DEFAULT 1
);

-- A member's personal calendar feed (.ics): the SHA-256 of its secret address, one per account; issuing again
-- replaces it, revoking deletes it. The feed's events carry no personal data.
CREATE TABLE calendar_feed (
    account_id   BLOB PRIMARY KEY REFERENCES account (id) ON DELETE CASCADE,
    tenant_id    BLOB NOT NULL REFERENCES tenant (id),
    token_hash   BLOB NOT NULL UNIQUE,
    created_at   TEXT NOT NULL,
    last_used_at TEXT
);
