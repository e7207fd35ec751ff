-- Issue 17: a municipality holds at most one statutory package key in force (not revoked) at a time. Before this a
-- municipality could hold several unrevoked keys, so a key thought replaced kept admitting packages; now a new key
-- is refused while one is in force (the coordinator revokes the old one first), in the store and here, where two
-- registrations at once cannot both win.
-- SQLite twin of postgres/0050_package_key_one_in_force.sql.

-- Data registered before this migration may already hold several keys in force for one TERYT, and the index below
-- would then fail to build. The newest registration stays in force; each older one is revoked as of the moment the
-- next key was registered, with a reason in Polish, because the reason is shown to whoever sends a package under it.
-- Packages received under those keys stay kept, as for any revocation.
UPDATE statutory_package_key
SET revoked_at = (
        SELECT MIN(newer.registered_at) FROM statutory_package_key newer
        WHERE newer.teryt = statutory_package_key.teryt AND newer.revoked_at IS NULL
          AND (newer.registered_at > statutory_package_key.registered_at
               OR (newer.registered_at = statutory_package_key.registered_at
                   AND newer.fingerprint > statutory_package_key.fingerprint))),
    revoke_reason = 'Unieważniony przy aktualizacji systemu: gmina miała więcej niż jeden ważny klucz, a ważny może być tylko jeden (pozostał ten zarejestrowany najpóźniej).'
WHERE revoked_at IS NULL
  AND EXISTS (
        SELECT 1 FROM statutory_package_key newer
        WHERE newer.teryt = statutory_package_key.teryt AND newer.revoked_at IS NULL
          AND (newer.registered_at > statutory_package_key.registered_at
               OR (newer.registered_at = statutory_package_key.registered_at
                   AND newer.fingerprint > statutory_package_key.fingerprint)));

CREATE UNIQUE INDEX statutory_package_key_in_force ON statutory_package_key (teryt) WHERE revoked_at IS NULL;
