//! The audit trail: append-only in the database, and a hash chain that names whatever someone with direct database
//! access edited or removed.

use jiff::{SignedDuration, Timestamp};
use store::{AuditFilter, Store};

use crate::support::*;

/// Some ordinary work: a tenant, an institution, an account, its activation and a listing.
async fn some_actions(store: &Store) {
    let tomaszow = tenant(store).await;
    store.create_institution(&operator(), tomaszow.id, "Komenda Powiatowa Policji", "police").await.unwrap();
    let (_, token) = account(store, tomaszow.id, "zzolkiewska").await;
    store.activate(&token, PASSWORD, PASSWORD, Some(ADDRESS.into())).await.unwrap();
    store.list_accounts(&operator(), Some(tomaszow.id)).await.unwrap();
    let _ = store.password_login("zzolkiewska", "zupełnie złe hasło", ADDRESS).await;
}

async fn entry_count(store: &Store) -> i64 {
    scalar(store, "SELECT COUNT(*) FROM audit_entry").await
}

/// Removes the database's append-only guard, as an attacker with full database access could.
async fn drop_append_only_triggers(store: &Store) {
    if is_postgres(store) {
        execute(store, "DROP TRIGGER audit_entry_no_update ON audit_entry").await.unwrap();
    } else {
        execute(store, "DROP TRIGGER audit_entry_no_update").await.unwrap();
        execute(store, "DROP TRIGGER audit_entry_no_delete").await.unwrap();
    }
}

#[tokio::test]
async fn the_chain_of_ordinary_work_verifies_without_a_break() {
    // Arrange
    let h = Harness::new().await;
    some_actions(&h.store).await;

    // Act
    let report = h.store.verify_audit().await.unwrap();

    // Assert
    assert_eq!(report.first_break, None);
    assert_eq!(i64::try_from(report.entries_checked).unwrap(), entry_count(&h.store).await);
    assert!(report.entries_checked >= 8, "the work wrote entries: {}", report.entries_checked);
}

#[tokio::test]
async fn an_empty_trail_verifies() {
    // Arrange: a fresh database holds only the entry of its master key's creation.
    let h = Harness::new().await;

    // Act
    let report = h.store.verify_audit().await.unwrap();

    // Assert
    assert_eq!(report.first_break, None);
    assert_eq!(report.entries_checked, 1);
    assert_eq!(audit_entries(&h.store, "key_created").await.len(), 1);
}

#[tokio::test]
async fn entries_are_numbered_in_order_and_each_links_to_the_one_before() {
    // Arrange
    let h = Harness::new().await;
    some_actions(&h.store).await;

    // Act
    let mut entries = all_audit_entries(&h.store).await;

    // Assert
    entries.reverse();
    assert_eq!(entries[0].seq, 1);
    assert_eq!(entries[0].prev_hash, vec![0u8; 32]);
    for pair in entries.windows(2) {
        assert_eq!(pair[1].seq, pair[0].seq + 1);
        assert_eq!(pair[1].prev_hash, pair[0].hash);
    }
    assert!(entries.iter().all(|e| e.compute_hash() == e.hash));
}

#[tokio::test]
async fn an_update_of_an_audit_entry_is_refused_by_the_database() {
    // Arrange
    let h = Harness::new().await;
    some_actions(&h.store).await;

    // Act
    let result = execute(&h.store, "UPDATE audit_entry SET detail = 'nothing happened' WHERE seq = 2").await;

    // Assert
    let err = result.expect_err("the trigger must refuse the update");
    assert!(err.to_string().contains("append-only"), "{err}");
    assert_eq!(h.store.verify_audit().await.unwrap().first_break, None);
}

#[tokio::test]
async fn a_delete_of_an_audit_entry_is_refused_by_the_database() {
    // Arrange
    let h = Harness::new().await;
    some_actions(&h.store).await;
    let before = entry_count(&h.store).await;

    // Act
    let result = execute(&h.store, "DELETE FROM audit_entry WHERE seq = 2").await;

    // Assert
    let err = result.expect_err("the trigger must refuse the delete");
    assert!(err.to_string().contains("append-only"), "{err}");
    assert_eq!(entry_count(&h.store).await, before);
}

#[tokio::test]
async fn an_edited_entry_is_named_by_verification() {
    // Arrange
    let h = Harness::new().await;
    some_actions(&h.store).await;
    drop_append_only_triggers(&h.store).await;

    // Act
    let changed = execute(&h.store, "UPDATE audit_entry SET detail = 'nothing happened' WHERE seq = 4").await.unwrap();
    let report = h.store.verify_audit().await.unwrap();

    // Assert
    assert_eq!(changed, 1);
    let broken = report.first_break.expect("the edit must be detected");
    assert_eq!(broken.seq, 4);
    assert!(broken.reason.contains("edited"), "{}", broken.reason);
    assert_eq!(report.entries_checked, 3, "the entries before the edit are sound");
}

#[tokio::test]
async fn an_edited_entry_with_a_recomputed_hash_breaks_the_link_of_the_next() {
    // Arrange: the attacker also recomputes the edited entry's hash, but cannot fix the next entry's link without
    // rewriting the rest of the chain.
    let h = Harness::new().await;
    some_actions(&h.store).await;
    drop_append_only_triggers(&h.store).await;
    let mut entries = all_audit_entries(&h.store).await;
    entries.reverse();
    let mut forged = entries[3].clone();
    assert_eq!(forged.seq, 4);
    forged.detail = "nothing happened".into();
    let forged_hash = hex::encode(forged.compute_hash());
    let sql = if is_postgres(&h.store) {
        format!("UPDATE audit_entry SET detail = 'nothing happened', hash = '\\x{forged_hash}'::bytea WHERE seq = 4")
    } else {
        format!("UPDATE audit_entry SET detail = 'nothing happened', hash = X'{forged_hash}' WHERE seq = 4")
    };

    // Act
    execute(&h.store, &sql).await.unwrap();
    let report = h.store.verify_audit().await.unwrap();

    // Assert
    let broken = report.first_break.expect("the forgery must be detected");
    assert_eq!(broken.seq, 5);
    assert!(broken.reason.contains("previous-hash"), "{}", broken.reason);
}

#[tokio::test]
async fn a_removed_middle_entry_is_named_by_verification() {
    // Arrange
    let h = Harness::new().await;
    some_actions(&h.store).await;
    drop_append_only_triggers(&h.store).await;
    let last = scalar(&h.store, "SELECT MAX(seq) FROM audit_entry").await;
    let middle = last / 2;

    // Act
    let removed = execute(&h.store, &format!("DELETE FROM audit_entry WHERE seq = {middle}")).await.unwrap();
    let report = h.store.verify_audit().await.unwrap();

    // Assert
    assert_eq!(removed, 1);
    let broken = report.first_break.expect("the removal must be detected");
    assert_eq!(broken.seq, middle);
    assert!(broken.reason.contains("missing"), "{}", broken.reason);
}

#[tokio::test]
async fn a_removed_middle_entry_with_the_rest_renumbered_is_detected() {
    // Arrange: the attacker closes the gap so the sequence looks whole.
    let h = Harness::new().await;
    some_actions(&h.store).await;
    drop_append_only_triggers(&h.store).await;
    let middle = scalar(&h.store, "SELECT MAX(seq) FROM audit_entry").await / 2;
    execute(&h.store, &format!("DELETE FROM audit_entry WHERE seq = {middle}")).await.unwrap();

    // Act: renumber one row at a time, upwards, so the primary key never collides.
    let last = scalar(&h.store, "SELECT MAX(seq) FROM audit_entry").await;
    for seq in middle + 1..=last {
        execute(&h.store, &format!("UPDATE audit_entry SET seq = {} WHERE seq = {seq}", seq - 1)).await.unwrap();
    }
    let report = h.store.verify_audit().await.unwrap();

    // Assert
    let broken = report.first_break.expect("the removal must be detected");
    assert_eq!(broken.seq, middle);
}

#[tokio::test]
async fn a_removed_last_entry_is_detected() {
    // Arrange
    let h = Harness::new().await;
    some_actions(&h.store).await;
    drop_append_only_triggers(&h.store).await;
    let last = scalar(&h.store, "SELECT MAX(seq) FROM audit_entry").await;

    // Act
    let removed = execute(&h.store, &format!("DELETE FROM audit_entry WHERE seq = {last}")).await.unwrap();
    let report = h.store.verify_audit().await.unwrap();

    // Assert
    assert_eq!(removed, 1);
    let broken = report.first_break.expect("a removed tail must be detected");
    assert_eq!(broken.seq, last);
    assert!(broken.reason.contains("head"), "{}", broken.reason);
    assert_eq!(i64::try_from(report.entries_checked).unwrap(), last - 1);
}

#[tokio::test]
async fn the_trail_is_filtered_by_tenant_and_action() {
    // Arrange
    let h = Harness::new().await;
    let tomaszow = tenant(&h.store).await;
    let jaslo = other_tenant(&h.store).await;
    h.store.create_institution(&operator(), tomaszow.id, "Komenda Powiatowa Policji", "police").await.unwrap();
    h.store.create_institution(&operator(), jaslo.id, "Komenda Powiatowa Policji", "police").await.unwrap();

    // Act
    let filter = AuditFilter {
        tenant_id: Some(tomaszow.id),
        action: Some("create".into()),
        limit: 100,
        ..AuditFilter::default()
    };
    let entries = h.store.audit_entries(&operator(), &filter).await.unwrap();

    // Assert
    let kinds: Vec<_> = entries.iter().map(|e| e.object_kind.as_str()).collect();
    assert_eq!(kinds, ["institution", "tenant"], "newest first, this tenant's only");
    assert!(entries.iter().all(|e| e.tenant_id == Some(tomaszow.id)));
}

#[tokio::test]
async fn the_trail_is_paged_backwards_by_sequence_number() {
    // Arrange
    let h = Harness::new().await;
    some_actions(&h.store).await;
    let newest = all_audit_entries(&h.store).await;

    // Act
    let first_page =
        h.store.audit_entries(&operator(), &AuditFilter { limit: 3, ..AuditFilter::default() }).await.unwrap();
    let before_seq = first_page.last().unwrap().seq;
    let second_page = h
        .store
        .audit_entries(&operator(), &AuditFilter { limit: 3, before_seq: Some(before_seq), ..AuditFilter::default() })
        .await
        .unwrap();

    // Assert
    assert_eq!(first_page.len(), 3);
    assert_eq!(second_page.len(), 3);
    assert!(second_page.iter().all(|e| e.seq < before_seq));
    assert_eq!(second_page[0].seq, before_seq - 1);
    assert!(newest.len() > 6);
}

#[tokio::test]
async fn the_trail_is_filtered_by_time_to_the_microsecond() {
    // Arrange: entries on a whole second and between seconds; SQLite keeps instants as text, PostgreSQL as numbers,
    // and both must agree on which come first.
    let h = Harness::new().await;
    let start: Timestamp = START.parse().unwrap();
    h.advance(SignedDuration::from_millis(500));
    tenant(&h.store).await; // at 08:00:00.5
    h.advance(SignedDuration::from_millis(500));
    other_tenant(&h.store).await; // at 08:00:01
    h.advance(SignedDuration::from_micros(250_001));
    h.store.set_demo_mode(true).await.unwrap(); // at 08:00:01.250001

    // Act
    let window = |from: Timestamp, until: Timestamp| AuditFilter {
        from: Some(from),
        until: Some(until),
        limit: 100,
        ..AuditFilter::default()
    };
    let all_after_start =
        h.store.audit_entries(&operator(), &window(start, start + SignedDuration::from_hours(1))).await.unwrap();
    let from_half_second = h
        .store
        .audit_entries(
            &operator(),
            &window(start + SignedDuration::from_millis(500), start + SignedDuration::from_millis(1250)),
        )
        .await
        .unwrap();
    let up_to_the_last = h
        .store
        .audit_entries(
            &operator(),
            &window(start + SignedDuration::from_secs(1), start + SignedDuration::from_micros(1_250_001)),
        )
        .await
        .unwrap();

    // Assert
    let actions = |entries: &[store::AuditEntry]| entries.iter().map(|e| (e.action.clone(), e.at)).collect::<Vec<_>>();
    let at = |micros: i64| start + SignedDuration::from_micros(micros);
    assert_eq!(
        actions(&all_after_start),
        [
            ("update".to_owned(), at(1_250_001)),
            ("create".into(), at(1_000_000)),
            ("create".into(), at(500_000)),
            ("key_created".into(), at(0))
        ]
    );
    assert_eq!(actions(&from_half_second), [("create".to_owned(), at(1_000_000)), ("create".into(), at(500_000))]);
    assert_eq!(actions(&up_to_the_last), [("create".to_owned(), at(1_000_000))], "`until` is exclusive");
}

#[tokio::test]
async fn reading_the_trail_is_itself_recorded() {
    // Arrange
    let h = Harness::new().await;
    let filter = AuditFilter { limit: 10, ..AuditFilter::default() };

    // Act
    h.store.audit_entries(&operator(), &filter).await.unwrap();

    // Assert
    let reads = audit_entries(&h.store, "read_personal_data").await;
    assert_eq!(reads.len(), 1);
    assert_eq!(reads[0].object_kind, "audit_trail");
}
