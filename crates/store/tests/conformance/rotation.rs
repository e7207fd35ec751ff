//! Rotation of a municipality's data key (issue 20, item 6): every field re-encrypted under the new key and read back
//! identical, the old key retired, an interrupted rotation resumed with nothing lost, look-ups by blind index still
//! finding people, and every encrypted column of the schema covered.

use std::collections::BTreeSet;
use store::Caller;

use domain::identity::Role;
use store::procedure::FormAIntake;
use store::rotation::ENCRYPTED;
use uuid::Uuid;

use crate::procedure::{Team, form_a, person, pesel, team};
use crate::sealed_fields::{case, seal_address};
use crate::support::*;

/// A municipality with accounts, a case with its group, a sealed address (its person key is a blind index), a
/// recognisable form A (its PESELs are blind indexes), and a second municipality that must stay untouched.
async fn municipality(h: &Harness) -> (Team, Uuid, Uuid) {
    let t = team(h).await;
    let chair = case(h, &t).await;
    seal_address(h, &chair, "Osoba uciekła przed sprawcą; nowy adres.", vec![]).await.unwrap();
    let group = h.store.case_access(&Caller::local(&t.social_worker), chair.procedure_id).await.unwrap();
    let starts = h.now().checked_add(jiff::SignedDuration::from_hours(48)).unwrap();
    let starts = starts.to_zoned(domain::calendar::poland_zone()).strftime("%Y-%m-%dT%H:%M").to_string();
    let meeting: domain::forms::Answers = [
        ("meeting.starts_at", starts.as_str()),
        ("meeting.with_whom", "group_only"),
        ("meeting.mode", "in_person"),
        ("meeting.place", "MOPS, pokój 12"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect();
    let meeting = store::procedure::validate_record(domain::forms::records::RecordKind::Meeting, &meeting).unwrap();
    h.store.add_record(&group, &meeting).await.unwrap();
    let of = store::drafts::DraftOf { form: domain::forms::FormKind::A, procedure_id: None };
    let answers: domain::forms::Answers =
        [("affected_persons[0].last_name".to_owned(), "Wiśniewska".to_owned())].into_iter().collect();
    h.store.save_draft(&Caller::local(&t.initiator), None, of, &answers).await.unwrap();
    for i in 0..4 {
        let first = format!("70010{}1230", i + 1);
        h.store
            .open_procedure(&Caller::local(&t.chair), &form_a(&pesel(&first), &pesel("6801011230")), true)
            .await
            .unwrap();
    }
    let jaslo = other_tenant(&h.store).await;
    account(&h.store, jaslo.id, "jaslo.sekretarz").await;
    (t, chair.procedure_id, jaslo.id)
}

async fn data_key_version(h: &Harness, tenant: Uuid) -> i64 {
    let sql = format!("SELECT CAST(version AS BIGINT) FROM data_key WHERE scope_id = {}", uuid_literal(h, tenant));
    scalar(&h.store, &sql).await
}

fn uuid_literal(h: &Harness, id: Uuid) -> String {
    if is_postgres(&h.store) { format!("'{id}'") } else { format!("X'{}'", id.simple()) }
}

async fn wrapped_key(h: &Harness, tenant: Uuid) -> Vec<u8> {
    let sql = format!("SELECT wrapped FROM data_key WHERE scope_id = {}", uuid_literal(h, tenant));
    match h.store.db() {
        store::Db::Sqlite(p, _) => sqlx::query_as::<_, (Vec<u8>,)>(sqlx::AssertSqlSafe(sql)).fetch_one(p).await,
        store::Db::Postgres(p) => sqlx::query_as::<_, (Vec<u8>,)>(sqlx::AssertSqlSafe(sql)).fetch_one(p).await,
    }
    .unwrap()
    .0
}

fn tenant_of(t: &Team) -> Uuid {
    t.chair.tenant_id.unwrap()
}

/// Whether a second form A about the first case's people is recognised (look-up by blind index).
async fn recognised(store: &store::Store, t: &Team, first: Uuid) -> bool {
    let again = store
        .open_procedure(&Caller::local(&t.chair), &form_a(&pesel("9001011230"), &pesel("8301050571")), false)
        .await
        .unwrap();
    matches!(again, FormAIntake::AlreadyKnown { ref procedures } if procedures.iter().any(|p| p.id == first))
}

/// Whether the police officer of the group sees the sealed address withheld (the seal finds Anna by her person key,
/// a blind index).
async fn address_withheld_from_police(store: &store::Store, t: &Team, id: Uuid) -> bool {
    let handle = store.case_access(&Caller::local(&t.police), id).await.unwrap();
    let view = store.procedure_view(&handle).await.unwrap();
    view.forms.iter().any(|f| f.kind == "A" && !f.withheld.is_empty())
}

#[tokio::test]
async fn after_a_rotation_every_field_reads_back_identical_and_none_remains_under_the_old_key() {
    // Arrange
    let h = Harness::new().await;
    let (t, case_id, jaslo) = municipality(&h).await;
    let tenant = tenant_of(&t);
    let before = h.store.decrypted_fields(tenant).await.unwrap();
    let other_before = h.store.decrypted_fields(jaslo).await.unwrap();
    let old_wrapped = wrapped_key(&h, tenant).await;
    let tables: BTreeSet<&str> = before.keys().map(|(table, _, _)| table.as_str()).collect();
    assert!(tables.len() >= 5, "the fixture fills several encrypted tables: {tables:?}");
    assert_eq!(h.store.sealed_field_versions(tenant).await.unwrap(), vec![(1, before.len())]);

    // Act
    let done = h.store.rotate_data_key(&operator(), tenant, 7, |_| {}).await.unwrap();

    // Assert
    assert!(done.finished);
    assert_eq!((done.from_version, done.to_version), (1, 2));
    assert!(done.rows_done > 0);
    assert_eq!(h.store.sealed_field_versions(tenant).await.unwrap(), vec![(2, before.len())], "none under version 1");
    assert_eq!(h.store.decrypted_fields(tenant).await.unwrap(), before);
    assert_ne!(wrapped_key(&h, tenant).await, old_wrapped, "the old key is gone from the database");
    assert_eq!(data_key_version(&h, tenant).await, 2);
    assert_eq!(scalar(&h.store, "SELECT COUNT(*) FROM data_key_rotation").await, 0);
    // The other municipality is untouched.
    assert_eq!(h.store.sealed_field_versions(jaslo).await.unwrap(), vec![(1, other_before.len())]);
    assert_eq!(h.store.decrypted_fields(jaslo).await.unwrap(), other_before);
    // Blind indexes still find people and seals still apply.
    assert!(recognised(&h.store, &t, case_id).await);
    assert!(address_withheld_from_police(&h.store, &t, case_id).await);
    // A restarted store reads with the new key; new fields are sealed under it.
    h.store.close().await;
    let reopened = h.reopen().await.unwrap();
    let listed = reopened.list_accounts(&operator(), Some(tenant)).await.unwrap();
    assert!(listed.iter().any(|a| a.details.full_name == "Osoba Testowa"));
    reopened.create_account(&operator(), &new_account(Some(tenant), "nowa.osoba", "Nowa Osoba")).await.unwrap();
    let now_held = reopened.decrypted_fields(tenant).await.unwrap().len();
    assert!(now_held > before.len());
    assert_eq!(reopened.sealed_field_versions(tenant).await.unwrap(), vec![(2, now_held)]);
    // Audited: start and finish, in the municipality.
    let rotated: Vec<_> =
        audit_entries(&reopened, "key_rotated").await.into_iter().filter(|e| e.object_kind == "data_key").collect();
    assert_eq!(rotated.len(), 2, "{rotated:?}");
    assert!(
        rotated.iter().all(|e| e.tenant_id == Some(tenant) && e.object_id.as_deref() == Some(&*tenant.to_string()))
    );
}

#[tokio::test]
async fn a_rotation_stopped_after_a_few_batches_resumes_at_the_next_start_and_loses_nothing() {
    // Arrange: a second server opened before the rotation, with the old keys cached.
    let h = Harness::new().await;
    let (t, case_id, _) = municipality(&h).await;
    let tenant = tenant_of(&t);
    let before = h.store.decrypted_fields(tenant).await.unwrap();
    let server = h.reopen().await.unwrap();
    assert!(!server.list_accounts(&operator(), Some(tenant)).await.unwrap().is_empty());

    // Act: three batches of two rows, then the process stops (no finish, no clean-up).
    h.store.start_data_key_rotation(&operator(), tenant).await.unwrap();
    for _ in 0..3 {
        let step = h.store.data_key_rotation_step(&operator(), tenant, 2).await.unwrap();
        assert!(!step.finished);
    }

    // Assert, midway: both keys in use, every field still reads, the server reads and writes meanwhile.
    let midway = h.store.sealed_field_versions(tenant).await.unwrap();
    assert_eq!(midway.iter().map(|(v, _)| *v).collect::<Vec<_>>(), vec![1, 2], "{midway:?}");
    assert_eq!(h.store.decrypted_fields(tenant).await.unwrap(), before);
    assert_eq!(server.decrypted_fields(tenant).await.unwrap(), before, "a server with cached keys sees the new one");
    let listed = server.list_accounts(&operator(), Some(tenant)).await.unwrap();
    assert_eq!(listed.len(), 5);
    let late = person(&h, tenant, "dolaczyla.w.trakcie", &[Role::GroupMember]).await;
    assert!(recognised(&h.store, &t, case_id).await, "look-ups work during the rotation");
    h.store.close().await;
    server.close().await;
    assert_eq!(scalar(&h.reopen().await.unwrap(), "SELECT COUNT(*) FROM data_key_rotation").await, 1);

    // Act: the next start finishes it.
    let restarted = h.reopen().await.unwrap();
    let finished = restarted.resume_data_key_rotations(2).await.unwrap();

    // Assert
    assert_eq!(finished.len(), 1);
    assert!(finished[0].finished);
    let after = restarted.decrypted_fields(tenant).await.unwrap();
    let count = after.len();
    assert_eq!(restarted.sealed_field_versions(tenant).await.unwrap(), vec![(2, count)]);
    let mut expected = before.clone();
    for (key, value) in &after {
        if key.2 == late.account_id {
            expected.insert(key.clone(), value.clone());
        }
    }
    assert_eq!(after, expected, "every field from before reads back identical");
    assert!(recognised(&restarted, &t, case_id).await);
    assert!(address_withheld_from_police(&restarted, &t, case_id).await);
    assert!(restarted.data_key_rotations_in_progress().await.unwrap().is_empty());
}

#[tokio::test]
async fn a_master_key_rotation_in_the_middle_of_a_data_key_rotation_keeps_both_keys() {
    // Arrange
    let h = Harness::new().await;
    let (t, case_id, _) = municipality(&h).await;
    let tenant = tenant_of(&t);
    let before = h.store.decrypted_fields(tenant).await.unwrap();
    h.store.start_data_key_rotation(&operator(), tenant).await.unwrap();
    h.store.data_key_rotation_step(&operator(), tenant, 3).await.unwrap();

    // Act
    h.store.rotate_master_key().await.unwrap();
    h.store.close().await;
    let reopened = h.reopen().await.unwrap();
    reopened.rotate_data_key(&operator(), tenant, 3, |_| {}).await.unwrap();

    // Assert
    assert_eq!(reopened.decrypted_fields(tenant).await.unwrap(), before);
    assert_eq!(reopened.sealed_field_versions(tenant).await.unwrap(), vec![(2, before.len())]);
    assert!(recognised(&reopened, &t, case_id).await);

    // A second rotation moves on to version 3 with the same blind-index key.
    let second = reopened.rotate_data_key(&operator(), tenant, 50, |_| {}).await.unwrap();
    assert_eq!((second.from_version, second.to_version), (2, 3));
    assert_eq!(reopened.decrypted_fields(tenant).await.unwrap(), before);
    assert!(recognised(&reopened, &t, case_id).await);
}

#[tokio::test]
async fn a_rotation_of_an_unknown_municipality_is_not_found_and_starts_nothing() {
    let h = Harness::new().await;
    let result = h.store.start_data_key_rotation(&operator(), Uuid::now_v7()).await;
    assert!(matches!(result, Err(store::StoreError::NotFound)), "{result:?}");
    assert_eq!(scalar(&h.store, "SELECT COUNT(*) FROM data_key_rotation").await, 0);
}

/// Binary columns that hold no field sealed under a municipality's data key, each with why.
const NOT_SEALED_FIELDS: &[(&str, &str, &str)] = &[
    ("_sqlx_migrations", "checksum", "the migrations' checksums"),
    ("audit_checkpoint", "hash", "a hash of the chain"),
    ("audit_entry", "hash", "a hash of the chain"),
    ("audit_entry", "prev_hash", "a hash of the chain"),
    ("audit_head", "hash", "a hash of the chain"),
    ("audit_head", "anchor_mac", "a MAC under the audit key"),
    ("api_token", "token_hash", "a SHA-256 of the token"),
    ("session", "token_hash", "a SHA-256 of the token"),
    ("one_time_link", "token_hash", "a SHA-256 of the token"),
    ("calendar_feed", "token_hash", "a SHA-256 of the calendar feed's token"),
    ("data_key", "wrapped", "a data key wrapped by the master key"),
    ("data_key", "index_wrapped", "the blind-index key wrapped by the master key"),
    ("data_key_rotation", "wrapped", "the next data key wrapped by the master key"),
    ("person_match", "key_hash", "a blind index, kept across rotations (docs/security.md)"),
    ("field_seal", "person_key", "a blind index, kept across rotations (docs/security.md)"),
    ("person_search", "key_hash", "a blind index for search by person, kept across rotations (docs/security.md)"),
    ("team_meeting", "meeting_uid", "a random calendar identifier"),
];

#[tokio::test]
async fn every_encrypted_column_in_the_schema_is_rotated() {
    // Arrange: every `*_enc` column, and on PostgreSQL (where ids are uuid) every bytea column.
    let h = Harness::new().await;
    let sql = if is_postgres(&h.store) {
        "SELECT table_name::text, column_name::text FROM information_schema.columns \
         WHERE table_schema = current_schema() AND (data_type = 'bytea' OR column_name LIKE '%\\_enc' ESCAPE '\\')"
    } else {
        "SELECT m.name, p.name FROM sqlite_master m JOIN pragma_table_info(m.name) p \
         WHERE m.type = 'table' AND p.name LIKE '%\\_enc' ESCAPE '\\'"
    };
    let columns: Vec<(String, String)> = match h.store.db() {
        store::Db::Sqlite(p, _) => sqlx::query_as(sql).fetch_all(p).await,
        store::Db::Postgres(p) => sqlx::query_as(sql).fetch_all(p).await,
    }
    .unwrap();
    assert!(columns.len() > 10, "the catalogue query read the schema: {columns:?}");

    // Act
    let covered: BTreeSet<(String, String)> =
        ENCRYPTED.iter().flat_map(|t| t.columns.iter().map(|(c, _)| (t.table.to_owned(), (*c).to_owned()))).collect();
    let exempt: BTreeSet<(String, String)> =
        NOT_SEALED_FIELDS.iter().map(|(t, c, _)| ((*t).to_owned(), (*c).to_owned())).collect();
    let missing: Vec<_> = columns.iter().filter(|c| !covered.contains(*c) && !exempt.contains(*c)).collect();
    let stale: Vec<_> = covered.iter().filter(|c| !columns.contains(c)).collect();

    // Assert
    assert!(missing.is_empty(), "encrypted columns a data-key rotation would leave under the old key: {missing:?}");
    assert!(stale.is_empty(), "rotation covers columns the schema no longer has: {stale:?}");
}
